#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Fetches Debian's source packages of the two protobuf runtimes (nanopb
# 0.4.7, protobuf-c 1.4.1) into DEST (build/fuzz/src), so that the fuzz
# build can compile them with coverage instrumentation: the packaged
# static libraries have none, and libFuzzer then sees nothing inside the
# decoders. It uses a private sources list and a private lists folder and
# never touches the system's apt configuration; apt verifies the archive
# signatures and dpkg-source the checksums. What was fetched is kept: a
# second run with the sources in place does nothing. Third-party code only
# ever lands under DEST, never in the repository. On failure (no network,
# no deb-src reachable, unexpected version) it says so and exits 1.
set -eu

DEST=${1:?usage: fetch-sources.sh DEST}
NANOPB_UPSTREAM=0.4.7
PBC_UPSTREAM=1.4.1
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
STAMP="$DEST/.fetched"
WANT="nanopb-$NANOPB_UPSTREAM protobuf-c-$PBC_UPSTREAM"

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] &&
	[ -f "$DEST/nanopb-$NANOPB_UPSTREAM/pb_decode.c" ] &&
	[ -f "$DEST/protobuf-c-$PBC_UPSTREAM/protobuf-c/protobuf-c.c" ]; then
	exit 0
fi

fail() {
	echo "fuzz: cannot fetch Debian's source packages of nanopb" \
		"$NANOPB_UPSTREAM and protobuf-c $PBC_UPSTREAM: $*" >&2
	echo "fuzz: the fuzz build needs them (network access to a Debian" \
		"mirror with deb-src, apt-get and dpkg-source from dpkg-dev)" >&2
	exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "apt-get not found"
command -v dpkg-source >/dev/null 2>&1 ||
	fail "dpkg-source not found (package dpkg-dev)"

APT="$DEST/apt"
rm -rf "$APT"
mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/dl"

# The same mirrors and suites as the system's deb entries, as deb-src.
SYS=/etc/apt/sources.list.d/debian.sources
if [ -f "$SYS" ]; then
	sed -e 's/^Types:.*/Types: deb-src/' "$SYS" >"$APT/src.sources"
else
	cat >"$APT/src.sources" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi

set -- -q -o "Dir::Etc::SourceList=$APT/src.sources" \
	-o Dir::Etc::SourceParts=/dev/null \
	-o "Dir::State::Lists=$APT/lists" \
	-o "Dir::Cache=$APT/cache" \
	-o APT::Sandbox::User=root
if [ "$(id -u)" -ne 0 ]; then
	set -- "$@" -o Debug::NoLocking=1
fi

apt-get "$@" --error-on=any update >"$APT/update.log" 2>&1 ||
	fail "apt-get update failed: $(grep -E '^(E|W):' "$APT/update.log" |
		head -n 1) (see $APT/update.log)"

# The exact source versions of the installed packages when they are
# installed, so that the fuzzed runtime is the one the build links.
pin() {
	v=$(dpkg-query -W -f='${source:Version}' "$2" 2>/dev/null || true)
	if [ -n "$v" ]; then
		echo "$1=$v"
	else
		echo "$1"
	fi
}

(cd "$APT/dl" && apt-get "$@" source --download-only \
	"$(pin nanopb libnanopb-dev)" \
	"$(pin protobuf-c libprotobuf-c-dev)") >"$APT/source.log" 2>&1 ||
	fail "apt-get source failed: $(grep -E '^E:' "$APT/source.log" |
		head -n 1) (see $APT/source.log)"

extract() {
	dsc=$(ls "$APT/dl/$1"_*.dsc 2>/dev/null | head -n 1)
	[ -n "$dsc" ] || fail "no $1 .dsc was downloaded"
	case "$dsc" in
	*/"$1_$2"-*.dsc) ;;
	*) fail "$dsc is not upstream version $2" ;;
	esac
	rm -rf "$DEST/$1-$2"
	dpkg-source -q -x "$dsc" "$DEST/$1-$2" >"$APT/extract-$1.log" 2>&1 ||
		fail "dpkg-source -x $dsc failed (see $APT/extract-$1.log)"
}

extract nanopb "$NANOPB_UPSTREAM"
extract protobuf-c "$PBC_UPSTREAM"
[ -f "$DEST/nanopb-$NANOPB_UPSTREAM/pb_decode.c" ] ||
	fail "pb_decode.c missing from the nanopb source"
[ -f "$DEST/protobuf-c-$PBC_UPSTREAM/protobuf-c/protobuf-c.c" ] ||
	fail "protobuf-c.c missing from the protobuf-c source"
echo "$WANT" >"$STAMP"
echo "fuzz: fetched Debian sources: $WANT (in $DEST)"
