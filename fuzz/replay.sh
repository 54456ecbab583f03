#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Replays the committed regression inputs of one harness and its seeds,
# once each, with either the libFuzzer binary (clang) or the gcc replay
# driver. Prints one line and exits 0 when every input ran without a
# failed property or a sanitizer report, 1 otherwise.
#
#   replay.sh clang|gcc BIN NAME REGRESSIONS SEEDS
set -u

kind=$1 bin=$2 name=$3 regress=$4 seeds=$5
log=${bin}.replay.log

n_regress=0
[ -d "$regress" ] && n_regress=$(find "$regress" -type f ! -name '*.md' | wc -l)
mkdir -p "$seeds"
n_seeds=$(find "$seeds" -type f | wc -l)

# Only the input files: a README beside the inputs is not one.
list=$(mktemp)
trap 'rm -f "$list"' EXIT
{
	[ -d "$regress" ] && find "$regress" -type f ! -name '*.md'
	find "$seeds" -type f
} | sort >"$list"

if [ ! -s "$list" ]; then
	echo "fuzz-regress: $name ($kind): no inputs to replay"
	exit 0
fi

if [ "$kind" = clang ]; then
	# libFuzzer runs the named files once each and does not fuzz.
	xargs "$bin" -runs=1 <"$list" >"$log" 2>&1
else
	xargs "$bin" <"$list" >"$log" 2>&1
fi
rc=$?

if [ "$rc" -eq 0 ]; then
	echo "fuzz-regress: $name ($kind): $n_regress regression inputs," \
		"$n_seeds seeds: passed"
	exit 0
fi
echo "fuzz-regress: $name ($kind): FAILED (exit $rc); from $log:"
grep -E '^(Running|replay):|hcp-fuzz:|fuzz_[a-z_]+:|ERROR|^SUMMARY' "$log" |
	tail -n 12
exit 1
