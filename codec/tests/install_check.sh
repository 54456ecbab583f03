#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# check-install: installs the codec into a temporary PREFIX and builds
# programs against it with pkg-config only: the notice example on the
# nanopb backend (static), and a protobuf-c round trip against the shared
# and against the static library. Then vendors each backend as the README
# says (the listed files, one cc command) and runs the same programs.
# Records "PASSED FAILED"; never fails.
#
#   install_check.sh RESULT_FILE BUILD_DIR VERSION
set -u
result=$1 out=$2 version=$3
tmp=$(mktemp -d)
prefix=$tmp/prefix
log=$out/check-install.log
passed=0
failed=0
: >"$log"
one() {
	name=$1
	shift
	if "$@" >>"$log" 2>&1; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "check-install: $name failed (log: $log)"
	fi
}

one "install" sh codec/install.sh "$prefix" "$prefix" "$version" "$out"
for f in include/hcp/hcp.h include/hcp/hcp_pbc.h include/hcp/hcp_nanopb.h \
	include/hcp/v1/hcp.pb-c.h include/hcp/v1/hcp.pb.h lib/libhcp.a \
	lib/libhcp-nanopb.a lib/libhcp.so lib/pkgconfig/hcp.pc \
	lib/pkgconfig/hcp-nanopb.pc; do
	one "installed $f" test -e "$prefix/$f"
done

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
cat >"$tmp/rt.c" <<'END'
#include <stdio.h>
#include <hcp/hcp_pbc.h>

int main(void)
{
	static const uint8_t close_400[] = { 0x3a, 0x03, 0x08, 0x90, 0x03 };
	hcp_pbc_alloc a;
	Hcp__V1__Frame *f = NULL;
	uint8_t out[16];
	size_t n = 0;
	int ok;

	hcp_pbc_alloc_init(&a, 0);
	if (hcp_pbc_decode(close_400, sizeof(close_400), 0, &a, &f) != HCP_OK)
		return 1;
	ok = f->close->reason == 400 &&
	     hcp_pbc_encode(f, out, sizeof(out), &n) == HCP_OK && n == 5;
	hcp_pbc_free(f, &a);
	printf("%s\n", HCP_LIBRARY_VERSION_STRING);
	return ok && a.used == 0 ? 0 : 1;
}
END
# shellcheck disable=SC2046
one "nanopb program via pkg-config" sh -c "cc -std=c11 -Wall -Werror \
	codec/examples/notice.c \$(pkg-config --cflags --libs hcp-nanopb) \
	-o '$tmp/notice' && '$tmp/notice'"
one "protobuf-c program, shared" sh -c "cc -std=c11 -Wall -Werror \
	'$tmp/rt.c' \$(pkg-config --cflags --libs hcp) -o '$tmp/rt' && \
	LD_LIBRARY_PATH='$prefix/lib' '$tmp/rt'"
one "protobuf-c program, static" sh -c "cc -std=c11 -Wall -Werror \
	'$tmp/rt.c' \$(pkg-config --cflags hcp) '$prefix/lib/libhcp.a' \
	\$(pkg-config --libs-only-l libprotobuf-c) -o '$tmp/rt-static' && \
	'$tmp/rt-static'"
one "pkg-config version" sh -c "[ \"\$(pkg-config --modversion hcp)\" = '$version' ]"

# Vendoring, as the README describes it: copy exactly these files, build
# with one compiler command and no build system of ours.
v=$tmp/vendor-nanopb
mkdir -p "$v/hcp/v1"
cp codec/include/hcp/hcp.h codec/include/hcp/hcp_nanopb.h "$v/hcp/"
cp codec/gen/nanopb/hcp/v1/hcp.pb.h codec/gen/nanopb/hcp/v1/hcp.pb.c \
	"$v/hcp/v1/"
cp codec/src/error.c codec/src/reason.c codec/src/framing.c \
	codec/src/backoff.c codec/src/validate.c codec/src/validate.h \
	codec/src/nanopb.c codec/examples/notice.c "$v/"
one "vendored nanopb backend" sh -c "cd '$v' && cc -std=c11 -O2 -I. \
	*.c hcp/v1/hcp.pb.c -lprotobuf-nanopb -o notice && ./notice"
v=$tmp/vendor-pbc
mkdir -p "$v/hcp/v1"
cp codec/include/hcp/hcp.h codec/include/hcp/hcp_pbc.h "$v/hcp/"
cp codec/gen/pbc/hcp/v1/hcp.pb-c.h codec/gen/pbc/hcp/v1/hcp.pb-c.c \
	"$v/hcp/v1/"
cp codec/src/error.c codec/src/reason.c codec/src/framing.c \
	codec/src/backoff.c codec/src/validate.c codec/src/validate.h \
	codec/src/pbc.c "$tmp/rt.c" "$v/"
one "vendored protobuf-c backend" sh -c "cd '$v' && cc -std=c11 -O2 -I. \
	*.c hcp/v1/hcp.pb-c.c -lprotobuf-c -o rt && ./rt"

rm -rf "$tmp"
echo "$passed $failed" >"$result"
echo "check-install: $passed passed, $failed failed"
exit 0
