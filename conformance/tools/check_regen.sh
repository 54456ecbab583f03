#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# check-conformance-regen: compares what `make regen` would write (already
# generated into DIR) with the committed files: the testee-protocol code,
# its VERSIONS, and every generated vector file (one test each). Records
# "PASSED FAILED" in $1.
#
# usage: check_regen.sh RESULT DIR
set -u
result=$1 dir=$2
p=0
f=0
same() {
	if cmp -s "$1" "$2"; then
		p=$((p + 1))
	else
		f=$((f + 1))
		echo "check-conformance-regen: $2 is stale (make regen)"
	fi
}
for x in testee.pb-c.c testee.pb-c.h; do
	same "$dir/gen/hcp/conformance/v1/$x" \
		"conformance/gen/hcp/conformance/v1/$x"
done
same "$dir/gen/VERSIONS" conformance/gen/VERSIONS
n=0
for x in conformance/vectors/*.json; do
	case $(basename "$x") in
	token*.json | grant*.json) continue ;;
	esac
	same "$dir/vectors/$(basename "$x")" "$x"
	n=$((n + 1))
done
for x in "$dir"/vectors/*.json; do
	[ -e "conformance/vectors/$(basename "$x")" ] && continue
	echo "check-conformance-regen: $(basename "$x") is not committed"
	f=$((f + 1))
done
if [ "$n" -eq 0 ]; then
	echo "check-conformance-regen: the generator wrote no vectors"
	f=$((f + 1))
fi
echo "$p $f" >"$result"
echo "check-conformance-regen: $p passed, $f failed"
