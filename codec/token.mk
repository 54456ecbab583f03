# SPDX-License-Identifier: Apache-2.0
#
# The token part: resume tokens and grants (codec/src/token.c), a
# server-side library of its own, build/codec/libhcp-token.a, because it
# needs libsodium and the client build of the codec must not. Its tests
# (cmocka, gcc and clang under ASan+UBSan) record one check part,
# check-token; its benchmark adds to `make bench`; `make regen` rewrites
# the token and grant vectors from the independent Python construction.
#
#   make token                 build/codec/libhcp-token.a
#   make check-token           the tests, recorded in $(RESULTS)
#   make bench-token           seal/open/mint/verify beside libsodium
#   make regen-token-vectors   conformance/vectors/token.json, grant.json
#   make install-token         header, library and hcp-token.pc

TOKEN_DIR := $(BUILD)/token
TOKEN_LIB := $(BUILD)/codec/libhcp-token.a
TOKEN_SRCS := $(wildcard codec/src/token*.c)
TOKEN_HDRS := codec/include/hcp/hcp.h codec/include/hcp/hcp_token.h
TOKEN_CFLAGS := $(WARN) -O2 -Icodec/include
TOKEN_TEST_CFLAGS := $(WARN) -O1 -g $(SANITIZE) -Icodec/include
TOKEN_VECTORS := conformance/vectors/token.json conformance/vectors/grant.json
TOKEN_GEN := codec/tests/test_token_vectors.py
TOKEN_COMPILERS := gcc clang

.PHONY: token check-token bench-token regen-token-vectors install-token

all: token
token: $(TOKEN_LIB)

$(TOKEN_DIR)/lib/%.o: codec/src/%.c $(TOKEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TOKEN_CFLAGS) -c $< -o $@

$(TOKEN_LIB): $(patsubst codec/src/%.c,$(TOKEN_DIR)/lib/%.o,$(TOKEN_SRCS))
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

# ---- tests ---------------------------------------------------------------

# One sanitized binary per compiler, the module compiled in from source.
$(TOKEN_DIR)/test_token_gcc: codec/tests/test_token.c $(TOKEN_SRCS) \
		$(TOKEN_HDRS)
	@mkdir -p $(@D)
	$(GCC) $(TOKEN_TEST_CFLAGS) codec/tests/test_token.c $(TOKEN_SRCS) \
		-lcmocka -ljansson -lsodium -o $@

$(TOKEN_DIR)/test_token_clang: codec/tests/test_token.c $(TOKEN_SRCS) \
		$(TOKEN_HDRS)
	@mkdir -p $(@D)
	$(CLANG) $(TOKEN_TEST_CFLAGS) codec/tests/test_token.c $(TOKEN_SRCS) \
		-lcmocka -ljansson -lsodium -o $@

# Runs a cmocka binary with TAP output and writes "PASSED FAILED": tests
# the plan announced but that never reported (a crash) count as failed,
# and a binary that printed no plan at all counts as one failure.
TOKEN_TAP = CMOCKA_MESSAGE_OUTPUT=TAP $(1) >$(2).tap 2>&1; \
	plan=$$(sed -n 's/^1\.\.\([0-9][0-9]*\)$$/\1/p' $(2).tap | head -n 1); \
	ok=$$(grep -c '^ok ' $(2).tap); \
	if [ -z "$$plan" ]; then plan=$$((ok + 1)); fi; \
	echo "$$ok $$((plan - ok))" >$(2).result

# The vectors must be exactly what the independent generator writes.
TOKEN_REGEN_CHECK = mkdir -p $(TOKEN_DIR)/regen && \
	$(PYTHON) $(TOKEN_GEN) $(TOKEN_DIR)/regen >$(TOKEN_DIR)/regen.log 2>&1 \
	&& cmp -s $(TOKEN_DIR)/regen/token.json conformance/vectors/token.json \
	&& cmp -s $(TOKEN_DIR)/regen/grant.json conformance/vectors/grant.json

check-token: $(addprefix $(TOKEN_DIR)/test_token_,$(TOKEN_COMPILERS)) \
		$(TOKEN_LIB)
	@mkdir -p $(RESULTS)
	@for c in $(TOKEN_COMPILERS); do \
		$(call TOKEN_TAP,$(TOKEN_DIR)/test_token_$$c conformance/vectors,$(TOKEN_DIR)/$$c); \
	done; \
	if $(TOKEN_REGEN_CHECK); then rp=1; rf=0; else rp=0; rf=1; \
		echo "check-token: vectors differ from $(TOKEN_GEN)" \
			"(FAILED)"; fi; \
	p=$$rp; f=$$rf; for c in $(TOKEN_COMPILERS); do \
		read -r a b <$(TOKEN_DIR)/$$c.result; \
		printf '  token tests (%s): %d passed, %d failed\n' $$c $$a $$b; \
		if [ "$$b" -ne 0 ]; then grep -v '^ok ' $(TOKEN_DIR)/$$c.tap \
			| head -n 40; fi; \
		p=$$((p + a)); f=$$((f + b)); \
	done; \
	echo "$$p $$f" >$(RESULTS)/check-token.result

CHECK_PARTS += check-token

# ---- benchmark -----------------------------------------------------------

$(TOKEN_DIR)/bench_token: codec/bench/bench_token.c $(TOKEN_LIB) $(TOKEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(TOKEN_CFLAGS) codec/bench/bench_token.c $(TOKEN_LIB) \
		-lsodium -o $@

bench-token: $(TOKEN_DIR)/bench_token
	@$(TOKEN_DIR)/bench_token

bench:: bench-token

# ---- vectors -------------------------------------------------------------

regen-token-vectors:
	$(PYTHON) $(TOKEN_GEN) conformance/vectors

regen:: regen-token-vectors

# ---- install -------------------------------------------------------------

install: install-token
install-token: $(TOKEN_LIB)
	install -d $(DESTDIR)$(PREFIX)/include/hcp $(DESTDIR)$(PREFIX)/lib \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 codec/include/hcp/hcp_token.h \
		$(DESTDIR)$(PREFIX)/include/hcp/
	install -m 644 $(TOKEN_LIB) $(DESTDIR)$(PREFIX)/lib/
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$${prefix}/lib' \
		'includedir=$${prefix}/include' '' 'Name: hcp-token' \
		'Description: HCP resume tokens and grants (server side)' \
		'Version: $(shell sed -n 's/^#define HCP_LIBRARY_VERSION_STRING "\(.*\)"/\1/p' codec/include/hcp/hcp.h)' \
		'Requires.private: libsodium' \
		'Libs: -L$${libdir} -lhcp-token' 'Libs.private: -lsodium' \
		'Cflags: -I$${includedir}' \
		>$(DESTDIR)$(PREFIX)/lib/pkgconfig/hcp-token.pc
