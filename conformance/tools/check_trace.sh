#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# check-conformance-trace: the traceability check (trace.py) over the spec,
# the vectors, the cmocka tests and conformance/EXCEPTIONS.tsv; its count
# of covered and uncovered requirements becomes the result. Two more tests
# show that the check can fail: without the exceptions file it must find
# uncovered requirements, and with an exception for an ID the spec does
# not define it must fail too. Records "PASSED FAILED" in $1.
#
# usage: check_trace.sh RESULT PYTHON REQS.tsv VECTOR.json...
set -u
result=$1 python=$2 reqs=$3
shift 3
trace=conformance/tools/trace.py
scratch=$(dirname "$result")/conformance-trace
mkdir -p "$scratch"
$python $trace --reqs "$reqs" --exceptions conformance/EXCEPTIONS.tsv \
	--tests codec/tests --result "$result.main" "$@"
p=0
f=0
if [ -s "$result.main" ]; then
	read -r p f <"$result.main"
else
	f=1
fi
rm -f "$result.main"
: >"$scratch/none.tsv"
if $python $trace --reqs "$reqs" --exceptions "$scratch/none.tsv" \
	--tests codec/tests "$@" >"$scratch/none.txt" 2>&1; then
	echo "check-conformance-trace: passes without any exception"
	f=$((f + 1))
else
	p=$((p + 1))
fi
cp conformance/EXCEPTIONS.tsv "$scratch/bogus.tsv"
printf 'HCP-WIRE-999\ta requirement the spec does not define\n' \
	>>"$scratch/bogus.tsv"
if $python $trace --reqs "$reqs" --exceptions "$scratch/bogus.tsv" \
	--tests codec/tests "$@" >"$scratch/bogus.txt" 2>&1; then
	echo "check-conformance-trace: accepts an undefined ID"
	f=$((f + 1))
else
	p=$((p + 1))
fi
echo "$p $f" >"$result"
echo "check-conformance-trace: $p passed, $f failed"
