#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Installs the Debian 12 packages the build and the tests need, when any is
# missing. Quiet and quick when everything is there; needs root (or sudo)
# only to install.
set -eu

PACKAGES="make gcc g++ clang libclang-rt-14-dev pkg-config \
protobuf-compiler protobuf-c-compiler libprotobuf-c-dev \
nanopb libnanopb-dev python3 python3-protobuf \
libcmocka-dev libsodium-dev libjansson-dev pandoc clang-format \
dpkg-dev ca-certificates"

missing=""
for p in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: missing packages and not root: install$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
