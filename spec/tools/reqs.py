#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# reqs.py: extracts the requirements of the HCP specification from its
# Markdown chapters and checks that they are well formed. A requirement is
# defined by `[HCP-AREA-n] (binds)` at the start of the sentence that holds
# its single BCP 14 keyword group; any other bracketed ID is a reference.
# Standard library only; reads spec/*.md and never writes into spec/.
#
#   reqs.py                  TSV of every definition on stdout:
#                            id area number binds keyword chapter text
#   reqs.py --check          exit 1 (listing each problem) on duplicate IDs,
#                            IDs out of order within an area, a definition
#                            without a binds party or without exactly one
#                            keyword group, a reference to an undefined ID,
#                            a keyword in a normative chapter outside any
#                            requirement, or an unknown area
#   reqs.py --summary        counts by area and by keyword
#   reqs.py --summary-md     the requirements table of the summary appendix
#   reqs.py --refs FILE...   check that every ID cited in FILE (for
#                            example hcp.proto) is defined
#   --dir DIR                the spec folder (default: this script's ../)

import glob
import os
import re
import sys

AREAS = ["WIRE", "FRAME", "LIMIT", "CONN", "HB", "BUSY", "NOTICE", "REASON",
         "BACKOFF", "RESUME", "SUB", "SERVER", "SEC", "TOKEN", "GRANT"]
PARTIES = {"client", "server", "codec"}
KEYWORDS = ["MUST NOT", "MUST", "SHOULD NOT", "SHOULD", "NOT RECOMMENDED",
            "RECOMMENDED", "REQUIRED", "MAY", "OPTIONAL", "SHALL NOT",
            "SHALL"]
ALLOWED_KEYWORDS = set(KEYWORDS) - {"SHALL", "SHALL NOT"}

KW_RE = re.compile(r"(?<![A-Za-z_\-])(" + "|".join(
    k.replace(" ", r"\s+") for k in KEYWORDS) + r")(?![A-Za-z_\-])")
ID_RE = re.compile(r"\[HCP-([A-Z]+)-([0-9]+)\]")
DEF_RE = re.compile(r"\[HCP-([A-Z]+)-([0-9]+)\]\s*\(([^)]*)\)")
SENT_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[(*_\"`])")
LIST_RE = re.compile(r"^\s*(?:[-*+]|[0-9]+[.)])\s+")
NORMATIVE_RE = re.compile(r"^(0[1-9]|[1-8][0-9])-")


class Req:
    def __init__(self, area, number, binds, keyword, chapter, text, line):
        self.area = area
        self.number = number
        self.id = "HCP-%s-%d" % (area, number)
        self.binds = binds
        self.keyword = keyword
        self.chapter = chapter
        self.text = text
        self.line = line


def mask_code(s):
    """s with every inline code span blanked out (same length)."""
    out = []
    i = 0
    while i < len(s):
        if s[i] == "`":
            j = i
            while j < len(s) and s[j] == "`":
                j += 1
            ticks = s[i:j]
            k = s.find(ticks, j)
            if k < 0:
                out.append(s[i:j])
                i = j
                continue
            out.append(" " * (k + len(ticks) - i))
            i = k + len(ticks)
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def blocks(path):
    """Yields (first line number, text) for each paragraph, list item and
    table row of a Markdown file, outside fenced code and HTML comments."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    cur = []
    start = 0
    fence = None
    comment = False

    def flush():
        if cur:
            yield_list.append((start, " ".join(x.strip() for x in cur)))
        cur.clear()

    yield_list = []
    for n, ln in enumerate(lines, 1):
        s = ln.strip()
        if fence:
            if s.startswith(fence):
                fence = None
            continue
        if comment:
            if "-->" in s:
                comment = False
            continue
        if s.startswith("```") or s.startswith("~~~"):
            flush()
            fence = s[:3]
            continue
        if s.startswith("<!--"):
            flush()
            if "-->" not in s:
                comment = True
            continue
        if not s or s.startswith("#"):
            flush()
            continue
        if LIST_RE.match(ln) or s.startswith("|"):
            flush()
            start = n
            cur.append(LIST_RE.sub("", ln) if not s.startswith("|") else s)
            if s.startswith("|"):
                flush()
            continue
        if not cur:
            start = n
        cur.append(ln)
    flush()
    return yield_list


def sentence_end(masked, pos):
    m = SENT_END_RE.search(masked, pos)
    return m.start() if m else len(masked)


def parse(spec_dir):
    """Returns (requirements, references, problems)."""
    reqs = []
    refs = []
    problems = []
    files = sorted(glob.glob(os.path.join(spec_dir, "*.md")))
    for path in files:
        chapter = os.path.basename(path)
        normative = bool(NORMATIVE_RE.match(chapter))
        for line, text in blocks(path):
            masked = mask_code(text)
            spans = []
            def_starts = set()
            for m in DEF_RE.finditer(masked):
                area, num, party = m.group(1), int(m.group(2)), m.group(3)
                def_starts.add(m.start())
                where = "%s:%d" % (chapter, line)
                binds = [p.strip() for p in party.split(",")]
                if not binds or any(p not in PARTIES for p in binds):
                    problems.append("%s: [HCP-%s-%d] has no valid binds "
                                    "party: (%s)" % (where, area, num, party))
                    continue
                if not normative:
                    problems.append("%s: [HCP-%s-%d] defined in an "
                                    "informative chapter" % (where, area,
                                                             num))
                end = sentence_end(masked, m.end())
                nxt = DEF_RE.search(masked, m.end())
                if nxt and nxt.start() < end:
                    end = nxt.start()
                spans.append((m.start(), end))
                kws = [" ".join(k.group(1).split())
                       for k in KW_RE.finditer(masked, m.end(), end)]
                body = text[m.end():end].strip()
                if len(kws) != 1:
                    problems.append("%s: [HCP-%s-%d] has %d keyword groups "
                                    "(%s), not exactly one"
                                    % (where, area, num, len(kws),
                                       ", ".join(kws) or "none"))
                elif kws[0] not in ALLOWED_KEYWORDS:
                    problems.append("%s: [HCP-%s-%d] uses %s, which is not "
                                    "one of the contract's keywords"
                                    % (where, area, num, kws[0]))
                reqs.append(Req(area, num, ",".join(binds),
                                kws[0] if kws else "", chapter, body, line))
            for m in ID_RE.finditer(masked):
                if m.start() not in def_starts:
                    refs.append(("HCP-%s-%s" % (m.group(1),
                                                int(m.group(2))),
                                 "%s:%d" % (chapter, line)))
            if not normative:
                continue
            for k in KW_RE.finditer(masked):
                if any(a <= k.start() < b for a, b in spans):
                    continue
                a = masked.rfind(". ", 0, k.start())
                a = 0 if a < 0 else a + 2
                snippet = text[a:sentence_end(masked, k.start())]
                kind = "keyword without a requirement ID"
                if ID_RE.match(masked, a):
                    kind = "requirement without a binds party"
                problems.append("%s:%d: %s: %s" % (chapter, line, kind,
                                                  snippet.strip()[:160]))
    return reqs, refs, problems


def check(reqs, refs, problems):
    seen = {}
    last = {}
    for r in reqs:
        if r.area not in AREAS:
            problems.append("%s:%d: %s: unknown area %s"
                            % (r.chapter, r.line, r.id, r.area))
        if r.id in seen:
            problems.append("%s:%d: %s defined again (first at %s)"
                            % (r.chapter, r.line, r.id, seen[r.id]))
            continue
        seen[r.id] = "%s:%d" % (r.chapter, r.line)
        if r.area in last and r.number <= last[r.area]:
            problems.append("%s:%d: %s out of order: after HCP-%s-%d"
                            % (r.chapter, r.line, r.id, r.area,
                               last[r.area]))
        last[r.area] = max(r.number, last.get(r.area, 0))
    for rid, where in refs:
        if rid not in seen:
            problems.append("%s: reference to undefined %s" % (where, rid))
    return problems


def tsv(reqs):
    print("id\tarea\tnumber\tbinds\tkeyword\tchapter\ttext")
    for r in reqs:
        text = " ".join(r.text.split()).replace("\t", " ")
        print("\t".join([r.id, r.area, str(r.number), r.binds, r.keyword,
                         r.chapter, text]))


def summary(reqs):
    by_area = {}
    by_kw = {}
    by_binds = {}
    for r in reqs:
        by_area.setdefault(r.area, {}).setdefault(r.keyword, 0)
        by_area[r.area][r.keyword] += 1
        by_kw[r.keyword] = by_kw.get(r.keyword, 0) + 1
        for p in r.binds.split(","):
            by_binds[p] = by_binds.get(p, 0) + 1
    kws = [k for k in KEYWORDS if k in by_kw]
    print("%-8s %5s  %s" % ("area", "total",
                            "  ".join("%s" % k for k in kws)))
    areas = [a for a in AREAS if a in by_area] + \
        sorted(a for a in by_area if a not in AREAS)
    for a in areas:
        row = by_area[a]
        print("%-8s %5d  %s" % (a, sum(row.values()), "  ".join(
            "%*d" % (len(k), row.get(k, 0)) for k in kws)))
    print("%-8s %5d  %s" % ("all", len(reqs), "  ".join(
        "%*d" % (len(k), by_kw[k]) for k in kws)))
    print("binds: " + ", ".join("%s %d" % (p, by_binds[p])
                                for p in sorted(by_binds)))


def summary_md(reqs):
    print("| ID | binds | keyword | chapter | requirement |")
    print("|---|---|---|---|---|")
    for r in sorted(reqs, key=lambda r: (AREAS.index(r.area)
                                         if r.area in AREAS else 99,
                                         r.number)):
        text = " ".join(r.text.split()).replace("|", "\\|")
        print("| [%s] | %s | %s | %s | %s |"
              % (r.id, r.binds.replace(",", ", "), r.keyword,
                 r.chapter, text))


def check_refs(files, reqs):
    ids = {r.id for r in reqs}
    bad = []
    for path in files:
        with open(path, encoding="utf-8") as f:
            for n, ln in enumerate(f, 1):
                for m in ID_RE.finditer(ln):
                    rid = "HCP-%s-%d" % (m.group(1), int(m.group(2)))
                    if rid not in ids:
                        bad.append("%s:%d: reference to undefined %s"
                                   % (path, n, rid))
    return bad


def main(argv):
    spec_dir = os.path.normpath(os.path.join(os.path.dirname(
        os.path.abspath(__file__)), ".."))
    args = argv[1:]
    if len(args) >= 2 and args[0] == "--dir":
        spec_dir = args[1]
        args = args[2:]
    reqs, refs, problems = parse(spec_dir)
    if not args:
        tsv(reqs)
        return 0
    if args == ["--check"]:
        problems = check(reqs, refs, problems)
        for p in problems:
            print(p)
        print("reqs: %d requirements, %d references, %d problems"
              % (len(reqs), len(refs), len(problems)))
        return 1 if problems else 0
    if args == ["--summary"]:
        summary(reqs)
        return 0
    if args == ["--summary-md"]:
        summary_md(reqs)
        return 0
    if len(args) >= 2 and args[0] == "--refs":
        bad = check_refs(args[1:], reqs)
        for b in bad:
            print(b)
        return 1 if bad else 0
    print(__doc__ or "usage: reqs.py [--dir DIR] [--check | --summary | "
          "--summary-md | --refs FILE...]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)
