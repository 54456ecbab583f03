# SPDX-License-Identifier: Apache-2.0
#
# Shared settings for every fragment: toolchains, warning sets, folders.

BUILD ?= build
RESULTS := $(BUILD)/results
PREFIX ?= /usr/local

CC ?= cc
CLANG ?= clang
GCC ?= gcc
PROTOC ?= protoc
# Debian's own interpreter: the one that sees python3-protobuf.
PYTHON ?= /usr/bin/python3

# Warnings for hand-written code: both compilers, warnings are errors.
WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wcast-qual -Wwrite-strings -Wconversion \
	-Wsign-conversion -Wformat=2 -Wundef -Wvla -Werror
# Generated code is not ours to fix; it still must build cleanly. gcc's
# -Wmissing-braces fires on protobuf-c's initializers of a message whose
# first member is a oneof, which is valid C.
WARN_GEN := -std=c11 -Wall -Wextra -Wno-missing-braces -Werror

SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# Parts of `make check`; each fragment appends its own.
CHECK_PARTS :=
