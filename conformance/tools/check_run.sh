#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# check-conformance-run: the suite against both reference testees, with
# the sanitized runner and testees. Adds up the runners' closing lines
# "N passed, N failed"; a runner that prints no such line counts as one
# failure. Records "PASSED FAILED" in $1.
#
# usage: check_run.sh RESULT CONF_OUT REQS.tsv VECTOR.json...
set -u
result=$1 out=$2 reqs=$3
shift 3
p=0
f=0
for b in pbc nanopb; do
	log=$out/check-run-$b.txt
	"$out/asan/hcp-conformance-runner" --reqs "$reqs" \
		--testee "$out/asan/testee-$b" --name "hcp-$b" \
		--expected-failures "conformance/expected/$b.txt" \
		--testee-stderr "$out/check-run-$b.stderr" \
		--json "$out/check-run-$b.json" \
		--junit "$out/check-run-$b.xml" "$@" >"$log" 2>&1
	rc=$?
	grep -E '^(FAIL|WARN|UNEXPECTED-PASS|STALE) ' "$log" | head -40
	line=$(tail -n 1 "$log")
	echo "check-conformance-run: testee $b: $line (exit $rc)"
	case "$line" in
	*" passed, "*" failed")
		set -- "$@"
		lp=${line%% passed*}
		lf=${line#*passed, }
		lf=${lf%% failed}
		p=$((p + lp))
		f=$((f + lf))
		if [ "$rc" -ne 0 ] && [ "$lf" -eq 0 ]; then f=$((f + 1)); fi
		;;
	*)
		f=$((f + 1))
		;;
	esac
done
echo "$p $f" >"$result"
echo "check-conformance-run: $p passed, $f failed"
