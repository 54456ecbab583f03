#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Installs the codec: headers (with the generated ones they include),
# libhcp.a, libhcp.so (with its soname links), libhcp-nanopb.a and the
# pkg-config files hcp.pc and hcp-nanopb.pc.
#
#   install.sh DEST PREFIX VERSION BUILD_DIR
# DEST is where files go ($DESTDIR$PREFIX); PREFIX is what the .pc files
# name.
set -eu
dest=$1 prefix=$2 version=$3 out=$4
major=${version%%.*}

install -d "$dest/include/hcp/v1" "$dest/lib/pkgconfig"
install -m 644 codec/include/hcp/hcp.h codec/include/hcp/hcp_pbc.h \
	codec/include/hcp/hcp_nanopb.h "$dest/include/hcp/"
install -m 644 codec/gen/pbc/hcp/v1/hcp.pb-c.h \
	codec/gen/nanopb/hcp/v1/hcp.pb.h "$dest/include/hcp/v1/"
install -m 644 "$out/libhcp.a" "$out/libhcp-nanopb.a" "$dest/lib/"
install -m 755 "$out/libhcp.so" "$dest/lib/libhcp.so.$version"
ln -sf "libhcp.so.$version" "$dest/lib/libhcp.so.$major"
ln -sf "libhcp.so.$major" "$dest/lib/libhcp.so"

cat >"$dest/lib/pkgconfig/hcp.pc" <<END
prefix=$prefix
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: hcp
Description: HCP reference codec, protobuf-c backend
Version: $version
Requires: libprotobuf-c
Cflags: -I\${includedir}
Libs: -L\${libdir} -lhcp
END

cat >"$dest/lib/pkgconfig/hcp-nanopb.pc" <<END
prefix=$prefix
includedir=\${prefix}/include
libdir=\${prefix}/lib

Name: hcp-nanopb
Description: HCP reference codec, nanopb backend (no heap)
Version: $version
Cflags: -I\${includedir}
Libs: -L\${libdir} -lhcp-nanopb -lprotobuf-nanopb
END
