#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# Prints conformance/gen/VERSIONS: the generators that made the committed
# testee-protocol code, so that a stale file is noticed when they change.
set -eu
PROTOC=${PROTOC:-protoc}
echo "# Generated from proto/hcp/conformance/v1/testee.proto by \`make regen\`."
echo "# Never edit by hand."
echo "protoc $($PROTOC --version | awk '{print $NF}')"
echo "protoc-c $(protoc-c --version 2>&1 | awk 'NR == 1 {print $NF}')"
