#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Adds up the results that each part of `make check` recorded and prints
# the closing line "N passed, N failed". Fails when any test failed or when
# a part recorded nothing (a part that did not run is not a pass).
set -u
dir=$1
shift
passed=0
failed=0
missing=""
for part in "$@"; do
	f="$dir/$part.result"
	if [ ! -s "$f" ]; then
		missing="$missing $part"
		continue
	fi
	read -r p fl <"$f"
	printf '  %-28s %6d passed %6d failed\n' "$part" "$p" "$fl"
	passed=$((passed + p))
	failed=$((failed + fl))
done
if [ -n "$missing" ]; then
	echo "parts that recorded no result:$missing"
	failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
