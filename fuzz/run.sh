#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Runs one libFuzzer harness for a number of seconds and prints one line
# with what libFuzzer reported at the end: runs, executions per second,
# coverage (cov: edges, ft: features), corpus size and crashes. Exits 0
# when the run ended without a crash and reached the harness's minimum
# coverage, 1 otherwise. The full log is kept beside the corpus.
#
#   run.sh BIN NAME SECONDS WORK SEEDS DICT MAX_LEN MIN_COV FRESH [FLAGS]
#
# WORK holds the run's own corpus (WORK/corpus, grown by libFuzzer), its
# crash artifacts (WORK/artifacts) and log (WORK/fuzz.log); FRESH=1 starts
# from the seeds alone. SEEDS is read, never written. DICT, MAX_LEN and
# MIN_COV may be empty. FLAGS are further libFuzzer flags, for example
# "-fork=1 -ignore_crashes=1" to keep a campaign going past a known crash
# (each crash is still kept in WORK/artifacts and fails the run).
set -u

bin=$1 name=$2 seconds=$3 work=$4 seeds=$5 dict=$6 max_len=$7 min_cov=$8
fresh=$9 flags=${10:-}

[ "$fresh" = 1 ] && rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts" "$seeds"
log=$work/fuzz.log
# Crashes of this run only: artifacts of an earlier run stay, uncounted.
touch "$work/.start"

set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/"
[ -n "$dict" ] && set -- "$@" -dict="$dict"
[ -n "$max_len" ] && set -- "$@" -max_len="$max_len"

# shellcheck disable=SC2086
"$bin" "$@" $flags "$work/corpus" "$seeds" >"$log" 2>&1
rc=$?

# The last status line: "#N DONE cov: C ft: F corp: K/..." in the usual
# mode, "#N: cov: C ft: F corp: K exec/s E ..." in fork mode.
last=$(grep -E '^#[0-9]+:?[[:space:]].*cov: ' "$log" | tail -n 1)
field() {
	echo "$last" | sed -n "s/.* $1:* *\([0-9][0-9]*\).*/\1/p"
}
cov=$(field cov)
ft=$(field ft)
runs=$(echo "$last" | sed -n 's/^#\([0-9][0-9]*\).*/\1/p')
execs=$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "$log")
if [ -z "$execs" ] && [ -n "$runs" ]; then
	execs=$((runs / seconds))
fi
corpus=$(find "$work/corpus" -type f | wc -l)
crashes=$(find "$work/artifacts" -type f -newer "$work/.start" | wc -l)

fmt='fuzz: %-14s %4ss %10s runs %8s exec/s  cov %5s  ft %6s  corpus %5s'
printf "$fmt  crashes %s\n" \
	"$name" "$seconds" "${runs:-?}" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
	"$corpus" "$crashes" | tee "$work/summary.txt"

ok=1
if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
	echo "fuzz: $name: FAILED (exit $rc); from $log:"
	grep -E 'hcp-fuzz:|fuzz_[a-z_]+:|ERROR|^SUMMARY|Test unit written' \
		"$log" | tail -n 12
	find "$work/artifacts" -type f -newer "$work/.start"
	ok=0
fi
if [ -n "$min_cov" ] && [ "${cov:-0}" -lt "$min_cov" ]; then
	echo "fuzz: $name: FAILED: coverage ${cov:-0} below $min_cov edges" \
		"(is the code under test instrumented?)"
	ok=0
fi
[ "$ok" = 1 ]
