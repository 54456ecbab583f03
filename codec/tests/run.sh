#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Runs the codec's test binaries (TAP output of cmocka) for every compiler
# and records "PASSED FAILED" in the result file. A binary that dies
# before reporting all its tests counts the missing ones as failed (at
# least one). Also builds and runs the notice example, checks that every
# public header compiles alone as C11 and as C++, and counts each as one
# test. Never fails itself: the summary decides.
#
#   run.sh RESULT_FILE BUILD_DIR "COMPILERS" "TESTS" CXX "INCLUDES"
set -u
result=$1 out=$2 compilers=$3 tests=$4 cxx=$5 incs=$6
passed=0
failed=0
log=$out/check-codec.log
: >"$log"

count() { # name, command...
	name=$1
	shift
	tap=$out/tap.txt
	CMOCKA_MESSAGE_OUTPUT=TAP "$@" >"$tap" 2>>"$log"
	rc=$?
	cat "$tap" >>"$log"
	ok=$(grep -c '^ok ' "$tap")
	bad=$(grep -c '^not ok ' "$tap")
	plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$tap" | head -n 1)
	[ -n "$plan" ] || plan=0
	missing=$((plan - ok - bad))
	[ "$missing" -lt 0 ] && missing=0
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ] && [ "$missing" -eq 0 ]; then
		missing=1
	fi
	passed=$((passed + ok))
	failed=$((failed + bad + missing))
	if [ $((bad + missing)) -ne 0 ]; then
		echo "check-codec: $name: $bad failed, $missing not reported" \
			"(exit $rc)"
		grep '^not ok ' "$tap"
	fi
}

one() { # name, command...: one test that passes when the command does
	name=$1
	shift
	if "$@" >>"$log" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "check-codec: $name failed"
	fi
}

for c in $compilers; do
	for t in $tests; do
		count "$c/test_$t" "$out/test-$c/test_$t"
	done
	one "$c/example notice" "$out/test-$c/notice"
done

# Every public header alone, as C11 with both compilers and as C++.
hdrs="hcp.h hcp_pbc.h hcp_nanopb.h"
for h in $hdrs; do
	src=$out/hdr-$h
	printf '#include "hcp/%s"\n' "$h" >"$src.c"
	printf '#include "hcp/%s"\n' "$h" >"$src.cpp"
	for c in $compilers; do
		# shellcheck disable=SC2086
		one "$h as C11 ($c)" $c -std=c11 -Wall -Wextra -Wpedantic \
			-Werror -fsyntax-only $incs "$src.c"
	done
	# shellcheck disable=SC2086
	one "$h as C++" $cxx -std=c++11 -Wall -Wextra -Wpedantic -Werror \
		-fsyntax-only $incs "$src.cpp"
done
one "bench compiles" test -x "$out/bench_codec"

echo "$passed $failed" >"$result"
echo "check-codec: $passed passed, $failed failed (log: $log)"
exit 0
