#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Prints codec/gen/VERSIONS: the generator versions that made the committed
# code and the exact commands, as `make regen` runs them. check-regen
# compares its output with the committed file, so a generator upgrade
# shows up as a stale VERSIONS even when the output did not change.
set -eu
pkgver() {
	dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown
}
protoc_v=$(protoc --version 2>/dev/null || echo unknown)
cat <<END
# Generated code in codec/gen: never edit by hand; run \`make regen\`.
protoc                 $protoc_v (Debian protobuf-compiler $(pkgver protobuf-compiler))
protoc-gen-c           protobuf-c $(pkgver protobuf-c-compiler) (Debian protobuf-c-compiler)
protoc-gen-nanopb      nanopb $(pkgver nanopb) (Debian nanopb)
runtime, protobuf-c    libprotobuf-c $(pkgver libprotobuf-c-dev)
runtime, nanopb        libprotobuf-nanopb $(pkgver libnanopb-dev)

# Commands, run from the top of the repository:
protoc -Iproto --c_out=codec/gen/pbc proto/hcp/v1/hcp.proto
protoc -Iproto --nanopb_out=codec/gen/nanopb --nanopb_opt=-fproto/hcp/v1/hcp.options proto/hcp/v1/hcp.proto
END
