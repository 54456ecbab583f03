#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# check-conformance-lint: lints every vector file against the schema and
# the spec's requirement IDs (one test per file), then runs the lint on
# each deliberately broken fixture of conformance/tests/lint, which it
# must refuse (one test per fixture), and checks the layout of the
# part's C files. Records "PASSED FAILED" in $1.
#
# usage: check_lint.sh RESULT PYTHON REQS.tsv VECTOR.json...
set -u
result=$1 python=$2 reqs=$3
shift 3
lint=conformance/tools/lint_vectors.py
out=$(dirname "$result")/conformance-lint.txt
p=0
f=0
$python $lint --reqs "$reqs" --result "$result.files" "$@" >"$out" 2>&1
cat "$out"
if [ -s "$result.files" ]; then
	read -r lp lf <"$result.files"
	p=$((p + lp))
	f=$((f + lf))
else
	f=$((f + 1))
fi
rm -f "$result.files"
for x in conformance/tests/lint/bad_*.json; do
	if $python $lint --reqs conformance/tests/lint/reqs.tsv "$x" \
		>/dev/null 2>&1; then
		echo "check-conformance-lint: the lint accepts $x"
		f=$((f + 1))
	else
		p=$((p + 1))
	fi
done
# The conformance part's hand-written C follows the committed
# .clang-format (one test per file).
for x in conformance/runner/*.[ch] conformance/testee/*.[ch]; do
	if clang-format --style=file --dry-run -Werror "$x" >/dev/null 2>&1
	then
		p=$((p + 1))
	else
		echo "check-conformance-lint: $x is not clang-formatted"
		f=$((f + 1))
	fi
done
echo "$p $f" >"$result"
echo "check-conformance-lint: $p passed, $f failed"
