#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# backoff_examples.py: an independent implementation of the reference
# backoff algorithm ([HCP-BACKOFF-5]) and the reconnect-window pick
# ([HCP-NOTICE-6]) of the HCP specification, written from the spec text
# alone, that produces the worked-example tables of spec/07-backoff.md.
#
#   backoff_examples.py            print the three tables as Markdown
#   backoff_examples.py --check F  compare the tables in F (07-backoff.md)
#                                  with freshly computed ones; exit 1 on
#                                  any difference
#   backoff_examples.py --write F  replace each table of F, between its
#                                  marker and the next <!-- hcp:end -->,
#                                  with the computed one
#
# Python integers are unbounded, so every step masks to the width the spec
# states (unsigned 64-bit) and asserts that nothing would overflow; the
# script never reads the C codec.

import re
import sys

U64 = (1 << 64) - 1
U32 = (1 << 32) - 1

BACKOFF_MARK = "<!-- hcp:backoff-examples -->"
BUDGET_MARK = "<!-- hcp:backoff-budget-examples -->"
WINDOW_MARK = "<!-- hcp:window-examples -->"
END_MARK = "<!-- hcp:end -->"


def _mul(a, b):
    p = a * b
    assert p <= U64, "64-bit overflow"
    return p


def backoff_delay(base, cap, mult, jitter, floor, attempt, r, budget=0):
    """Returns the delay in ms, or None when the budget is spent."""
    assert 1 <= base <= cap <= 3600000
    assert 1000 <= mult <= 10000 and 0 <= floor <= 3600000
    assert 0 <= r <= U32 and 0 <= attempt <= U32
    # Step 1: the attempt budget.
    if budget != 0 and attempt >= budget:
        return None
    # Step 2: the ceiling, in microseconds.
    c = _mul(base, 1000)
    cap_us = _mul(cap, 1000)
    for _ in range(attempt):
        if c == cap_us or mult == 1000:
            break
        c = min(_mul(c, mult) // 1000, cap_us)
    ceiling = c // 1000
    # Step 3: the jitter.
    if jitter == "full":
        j = _mul(ceiling, r) >> 32
    elif jitter == "equal":
        h = ceiling // 2
        j = h + (_mul(ceiling - h, r) >> 32)
    else:
        raise ValueError(jitter)
    # Step 4: the floor.
    return floor + j


def window_pick(nb, na, r):
    assert 0 <= nb <= na <= 3600000 and 0 <= r <= U32
    return nb + (_mul(na - nb + 1, r) >> 32)


# (base, cap, multiplier, jitter, floor, attempt, random): a spread of
# cases. Parameters are the values after defaults ([HCP-BACKOFF-3]).
BACKOFF_CASES = [
    # Defaults, attempts 0..6, a mid random value.
    (500, 30000, 2000, "full", 0, 0, 0x80000000),
    (500, 30000, 2000, "full", 0, 1, 0x80000000),
    (500, 30000, 2000, "full", 0, 2, 0x80000000),
    (500, 30000, 2000, "full", 0, 3, 0x80000000),
    (500, 30000, 2000, "full", 0, 4, 0x80000000),
    (500, 30000, 2000, "full", 0, 5, 0x80000000),
    (500, 30000, 2000, "full", 0, 6, 0x80000000),
    # Defaults, a large attempt: the ceiling stays at the cap.
    (500, 30000, 2000, "full", 0, 1000, 0x80000000),
    (500, 30000, 2000, "full", 0, 4294967295, 0xffffffff),
    # The extremes of the random value.
    (500, 30000, 2000, "full", 0, 0, 0x00000000),
    (500, 30000, 2000, "full", 0, 0, 0xffffffff),
    (500, 30000, 2000, "full", 0, 3, 0x00000000),
    (500, 30000, 2000, "full", 0, 3, 0xffffffff),
    (500, 30000, 2000, "full", 0, 3, 0x3a5c71e2),
    # Equal jitter.
    (500, 30000, 2000, "equal", 0, 0, 0x00000000),
    (500, 30000, 2000, "equal", 0, 0, 0xffffffff),
    (500, 30000, 2000, "equal", 0, 2, 0x80000000),
    (500, 30000, 2000, "equal", 0, 7, 0xc0000000),
    (1001, 30000, 2000, "equal", 0, 0, 0xffffffff),
    # A floor the client must not undercut.
    (500, 30000, 2000, "full", 5000, 0, 0x00000000),
    (500, 30000, 2000, "full", 5000, 0, 0xffffffff),
    (1000, 60000, 2000, "full", 15000, 4, 0x40000000),
    (1000, 60000, 2000, "equal", 15000, 4, 0x40000000),
    # Multiplier 1000: the ceiling never grows.
    (2000, 30000, 1000, "full", 0, 0, 0x80000000),
    (2000, 30000, 1000, "full", 0, 50, 0x80000000),
    (2000, 30000, 1000, "full", 0, 4294967295, 0xffffffff),
    # Fractional multipliers: truncation in microseconds.
    (1000, 120000, 1600, "full", 0, 1, 0xffffffff),
    (1000, 120000, 1600, "full", 0, 5, 0xffffffff),
    (333, 30000, 1500, "full", 0, 3, 0xffffffff),
    (1, 3600000, 1001, "full", 0, 100, 0xffffffff),
    (1, 3600000, 1001, "full", 0, 20000, 0xffffffff),
    # A big multiplier.
    (100, 3600000, 10000, "full", 0, 1, 0xffffffff),
    (100, 3600000, 10000, "full", 0, 4, 0xffffffff),
    (100, 3600000, 10000, "full", 0, 5, 0xffffffff),
    # cap < base * mult^n: the cap clamps mid-way.
    (700, 5000, 3000, "full", 0, 1, 0xffffffff),
    (700, 5000, 3000, "full", 0, 2, 0xffffffff),
    (700, 5000, 3000, "equal", 0, 2, 0x00000000),
    # base == cap: the ceiling is constant.
    (30000, 30000, 2000, "full", 0, 0, 0x80000000),
    # The largest values of every field.
    (3600000, 3600000, 10000, "full", 3600000, 3, 0xffffffff),
    (3600000, 3600000, 10000, "equal", 3600000, 3, 0xffffffff),
    # The smallest ceiling: 1 ms.
    (1, 1, 2000, "full", 0, 0, 0xffffffff),
    (1, 1, 2000, "equal", 0, 0, 0xffffffff),
]

# (budget, attempt): every other parameter at its default, random
# 0x80000000. The result is "stop" or the delay in ms.
BUDGET_CASES = [
    (1, 0),
    (1, 1),
    (5, 4),
    (5, 5),
    (5, 6),
    (10000, 9999),
    (10000, 10000),
    (0, 4294967295),
]

# (not_before, not_after, random).
WINDOW_CASES = [
    (0, 0, 0xffffffff),
    (1000, 1000, 0x80000000),
    (0, 29999, 0x00000000),
    (0, 29999, 0x80000000),
    (0, 29999, 0xffffffff),
    (5000, 30000, 0x00000000),
    (5000, 30000, 0xffffffff),
    (5000, 30000, 0x2b7e1516),
    (0, 1, 0x7fffffff),
    (0, 1, 0x80000000),
    (0, 3600000, 0xffffffff),
    (3600000, 3600000, 0x00000000),
]


def backoff_table():
    rows = ["| base_ms | cap_ms | multiplier_milli | jitter | floor_ms "
            "| attempt | random | delay_ms |",
            "|---:|---:|---:|---|---:|---:|---|---:|"]
    for base, cap, mult, jit, floor, att, r in BACKOFF_CASES:
        d = backoff_delay(base, cap, mult, jit, floor, att, r)
        rows.append("| %d | %d | %d | %s | %d | %d | 0x%08x | %d |"
                    % (base, cap, mult, jit, floor, att, r, d))
    return rows


def budget_table():
    rows = ["| budget | attempt | result |", "|---:|---:|---|"]
    for budget, att in BUDGET_CASES:
        d = backoff_delay(500, 30000, 2000, "full", 0, att, 0x80000000,
                          budget)
        rows.append("| %d | %d | %s |"
                    % (budget, att, "stop" if d is None else str(d)))
    return rows


def window_table():
    rows = ["| not_before_ms | not_after_ms | random | delay_ms |",
            "|---:|---:|---|---:|"]
    for nb, na, r in WINDOW_CASES:
        rows.append("| %d | %d | 0x%08x | %d |"
                    % (nb, na, r, window_pick(nb, na, r)))
    return rows


def tables():
    return [(BACKOFF_MARK, backoff_table()), (BUDGET_MARK, budget_table()),
            (WINDOW_MARK, window_table())]


def table_after(lines, mark):
    """The table rows directly after the marker line (blank lines skipped)."""
    try:
        i = [ln.strip() for ln in lines].index(mark)
    except ValueError:
        return None
    i += 1
    while i < len(lines) and not lines[i].strip():
        i += 1
    rows = []
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        rows.append(lines[i].strip())
        i += 1
    return rows


def norm(row):
    return [c.strip() for c in row.strip().strip("|").split("|")]


def check(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    bad = 0
    for mark, want in tables():
        got = table_after(lines, mark)
        if got is None:
            print("%s: marker %s missing" % (path, mark))
            bad += 1
            continue
        if [norm(r) for r in got[2:]] != [norm(r) for r in want[2:]] or \
                norm(got[0]) != norm(want[0]):
            print("%s: table after %s differs from the computed one"
                  % (path, mark))
            bad += 1
    return 1 if bad else 0


def write(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for mark, rows in tables():
        stripped = [ln.strip() for ln in lines]
        i = stripped.index(mark)
        j = stripped.index(END_MARK, i)
        lines[i + 1:j] = [""] + rows + [""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--check":
        return check(argv[2])
    if len(argv) == 3 and argv[1] == "--write":
        return write(argv[2])
    if len(argv) != 1:
        print("usage: backoff_examples.py [--check | --write 07-backoff.md]",
              file=sys.stderr)
        return 2
    for mark, rows in tables():
        print(mark)
        print()
        print("\n".join(rows))
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
