#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Runs one libFuzzer harness for a number of seconds and prints one line
# with what libFuzzer reported at the end: runs, executions per second,
# coverage (cov: edges, ft: features), corpus size and crashes. Exits 0
# when the run ended without a crash and reached the harness's minimum
# coverage, 1 otherwise. The full log is kept beside the corpus.
#
#   run.sh BIN NAME SECONDS WORK SEEDS DICT MAX_LEN MIN_COV FRESH
#
# WORK holds the run's own corpus (WORK/corpus, grown by libFuzzer), its
# crash artifacts (WORK/artifacts) and log (WORK/fuzz.log); FRESH=1 starts
# from the seeds alone. SEEDS is read, never written. DICT, MAX_LEN and
# MIN_COV may be empty.
set -u

bin=$1 name=$2 seconds=$3 work=$4 seeds=$5 dict=$6 max_len=$7 min_cov=$8
fresh=$9

[ "$fresh" = 1 ] && rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts" "$seeds"
log=$work/fuzz.log

set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/"
[ -n "$dict" ] && set -- "$@" -dict="$dict"
[ -n "$max_len" ] && set -- "$@" -max_len="$max_len"

"$bin" "$@" "$work/corpus" "$seeds" >"$log" 2>&1
rc=$?

done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)
field() {
	echo "$done_line" | sed -n "s/.* $1: *\([0-9]*\).*/\1/p"
}
cov=$(field cov)
ft=$(field ft)
execs=$(sed -n 's/^stat::average_exec_per_sec:[[:space:]]*//p' "$log")
runs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$log")
corpus=$(find "$work/corpus" -type f | wc -l)
crashes=$(find "$work/artifacts" -type f | wc -l)

fmt='fuzz: %-14s %4ss %10s runs %8s exec/s  cov %5s  ft %6s  corpus %5s'
printf "$fmt  crashes %s\n" \
	"$name" "$seconds" "${runs:-?}" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
	"$corpus" "$crashes" | tee "$work/summary.txt"

ok=1
if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
	echo "fuzz: $name: FAILED (exit $rc); the end of $log:"
	tail -n 40 "$log"
	ls "$work/artifacts"
	ok=0
fi
if [ -n "$min_cov" ] && [ "${cov:-0}" -lt "$min_cov" ]; then
	echo "fuzz: $name: FAILED: coverage ${cov:-0} below $min_cov edges" \
		"(is the code under test instrumented?)"
	ok=0
fi
[ "$ok" = 1 ]
