# SPDX-License-Identifier: Apache-2.0
#
# The conformance part: the runner, the reference testees, the vectors and
# the checks that keep them honest. Included by the top Makefile after
# codec/codec.mk, whose library targets it uses.
#
#   make conformance                  the suite against both reference
#                                     testees (protobuf-c and nanopb);
#                                     fails if either fails
#   make conformance TESTEE="cmd"     the suite against any implementation
#                                     (CONFORMANCE_ARGS="--strict
#                                     --expected-failures FILE" adds options)
#   make regen                        rewrite conformance/gen and the
#                                     generated vectors in place
#   check parts                       check-conformance-lint, -regen,
#                                     -protoc, -trace, -run, -self

CONF_OUT := $(BUILD)/conformance
CONF_GEN := conformance/gen/hcp/conformance/v1/testee.pb-c.c
CONF_GEN_H := conformance/gen/hcp/conformance/v1/testee.pb-c.h
CONF_PROTO := proto/hcp/conformance/v1/testee.proto
CONF_RUNNER_SRC := $(addprefix conformance/runner/,main.c testee.c \
	vectors.c report.c)
CONF_TESTEE_SRC := conformance/testee/testee.c
# The token kinds of the reference testees (token part): libsodium.
CONF_TOKEN_SRC := codec/tests/test_token_testee.c $(TOKEN_SRCS)
CONF_HDRS := conformance/runner/runner.h conformance/testee/testee.h \
	$(CONF_GEN_H) codec/include/hcp/hcp.h codec/include/hcp/hcp_pbc.h \
	codec/include/hcp/hcp_nanopb.h
CONF_INC := -Iconformance/gen -Iconformance/runner -Iconformance/testee \
	-Icodec/include -Icodec/gen/pbc -Icodec/gen/nanopb
CONF_VECTORS = $(sort $(wildcard conformance/vectors/*.json))
CONF_TOOLS := conformance/tools
CONF_REQS := $(CONF_OUT)/reqs.tsv
CONF_TIMEOUT_MS ?= 5000
CONFORMANCE_ARGS ?=


.PHONY: conformance-run conformance-bins check-conformance-lint \
	check-conformance-regen check-conformance-protoc \
	check-conformance-trace check-conformance-run check-conformance-self \
	conformance-regen

# ---- binaries ------------------------------------------------------------
# Two flavours: plain (-O2) for `make conformance`, and sanitized (ASan and
# UBSan, -O1) for the check parts. $(1) folder, $(2) flags.

define CONF_BUILD
$(CONF_OUT)/$(1)/testee.pb-c.o: $(CONF_GEN) $(CONF_GEN_H)
	@mkdir -p $$(@D)
	$$(CC) $$(WARN_GEN) $(2) $$(CONF_INC) -c $$< -o $$@
$(CONF_OUT)/$(1)/hcp-conformance-runner: $$(CONF_RUNNER_SRC) $$(CONF_HDRS) \
		$(CONF_OUT)/$(1)/testee.pb-c.o
	$$(CC) $$(WARN) $(2) $$(CONF_INC) $$(CONF_RUNNER_SRC) \
		$(CONF_OUT)/$(1)/testee.pb-c.o -ljansson -lprotobuf-c -o $$@
$(CONF_OUT)/$(1)/testee-pbc: $$(CONF_TESTEE_SRC) \
		conformance/testee/testee_pbc.c $$(CONF_HDRS) \
		$$(CONF_TOKEN_SRC) $$(TOKEN_HDRS) \
		$(CONF_OUT)/$(1)/testee.pb-c.o $$(CODEC_A)
	$$(CC) $$(WARN) $(2) $$(CONF_INC) $$(CONF_TESTEE_SRC) \
		conformance/testee/testee_pbc.c $$(CONF_TOKEN_SRC) \
		$(CONF_OUT)/$(1)/testee.pb-c.o \
		$$(CODEC_A) -lprotobuf-c -lsodium -o $$@
$(CONF_OUT)/$(1)/testee-nanopb: $$(CONF_TESTEE_SRC) \
		conformance/testee/testee_nanopb.c $$(CONF_HDRS) \
		$$(CONF_TOKEN_SRC) $$(TOKEN_HDRS) \
		$(CONF_OUT)/$(1)/testee.pb-c.o $$(CODEC_NPB_A)
	$$(CC) $$(WARN) $(2) $$(CONF_INC) $$(CONF_TESTEE_SRC) \
		conformance/testee/testee_nanopb.c $$(CONF_TOKEN_SRC) \
		$(CONF_OUT)/$(1)/testee.pb-c.o $$(CODEC_NPB_A) \
		-lprotobuf-nanopb -lprotobuf-c -lsodium -o $$@
$(CONF_OUT)/$(1)/testee-faulty: $$(CONF_TESTEE_SRC) \
		conformance/testee/testee_faulty.c $$(CONF_HDRS) \
		$$(CONF_TOKEN_SRC) $$(TOKEN_HDRS) \
		$(CONF_OUT)/$(1)/testee.pb-c.o $$(CODEC_A)
	$$(CC) $$(WARN) $(2) $$(CONF_INC) $$(CONF_TESTEE_SRC) \
		conformance/testee/testee_faulty.c $$(CONF_TOKEN_SRC) \
		$(CONF_OUT)/$(1)/testee.pb-c.o $$(CODEC_A) -lprotobuf-c \
		-lsodium -o $$@
endef
$(eval $(call CONF_BUILD,bin,-O2 -g))
$(eval $(call CONF_BUILD,asan,-O1 -g $(SANITIZE)))

CONF_BINS := $(addprefix $(CONF_OUT)/bin/,hcp-conformance-runner \
	testee-pbc testee-nanopb testee-faulty)
CONF_ASAN_BINS := $(addprefix $(CONF_OUT)/asan/,hcp-conformance-runner \
	testee-pbc testee-nanopb testee-faulty)
conformance-bins: $(CONF_BINS)

$(CONF_REQS): $(wildcard spec/*.md) spec/tools/reqs.py
	@mkdir -p $(@D)
	$(PYTHON) spec/tools/reqs.py >$@.tmp && mv $@.tmp $@

# ---- make conformance ----------------------------------------------------

CONF_RUN = $(CONF_OUT)/bin/hcp-conformance-runner --reqs $(CONF_REQS) \
	--timeout-ms $(CONF_TIMEOUT_MS) $(CONFORMANCE_ARGS)

ifdef TESTEE
conformance-run: $(CONF_OUT)/bin/hcp-conformance-runner $(CONF_REQS)
	$(CONF_RUN) --testee '$(TESTEE)' --name '$(TESTEE)' \
		--json $(CONF_OUT)/report-testee.json \
		--junit $(CONF_OUT)/report-testee.xml $(CONF_VECTORS)
else
conformance-run: $(CONF_BINS) $(CONF_REQS)
	@rc=0; \
	for b in pbc nanopb; do \
		echo "==== testee: $$b"; \
		$(CONF_RUN) --testee $(CONF_OUT)/bin/testee-$$b \
			--expected-failures conformance/expected/$$b.txt \
			--name hcp-$$b --json $(CONF_OUT)/report-$$b.json \
			--junit $(CONF_OUT)/report-$$b.xml $(CONF_VECTORS) \
			|| rc=1; \
	done; \
	if [ $$rc -ne 0 ]; then echo "conformance: FAILED"; exit 1; fi; \
	echo "conformance: both reference testees pass"
endif

# ---- regen ---------------------------------------------------------------

# Writes the generated testee-protocol code and the generated vectors
# (not conformance/vectors/token*.json and grant*.json, which the token
# part generates) into $(1).
define CONF_REGEN_INTO
	@mkdir -p $(1)/gen $(1)/vectors
	@$(PROTOC) -Iproto --c_out=$(1)/gen $(CONF_PROTO)
	@sh conformance/tools/versions.sh >$(1)/gen/VERSIONS
	@$(PYTHON) $(CONF_TOOLS)/gen_vectors.py --out $(1)/vectors >/dev/null
endef

regen:: conformance-regen
conformance-regen:
	@rm -rf $(CONF_OUT)/regen
	$(call CONF_REGEN_INTO,$(CONF_OUT)/regen)
	cp $(CONF_OUT)/regen/gen/hcp/conformance/v1/testee.pb-c.[ch] \
		conformance/gen/hcp/conformance/v1/
	cp $(CONF_OUT)/regen/gen/VERSIONS conformance/gen/VERSIONS
	cp $(CONF_OUT)/regen/vectors/*.json conformance/vectors/

# ---- check parts ---------------------------------------------------------

# Every vector file against the schema and the spec's IDs, and every
# deliberately broken fixture under conformance/tests/lint refused.
CHECK_PARTS += check-conformance-lint
check-conformance-lint: $(CONF_REQS)
	@mkdir -p $(RESULTS)
	@sh conformance/tools/check_lint.sh $(RESULTS)/$@.result \
		$(PYTHON) $(CONF_REQS) $(CONF_VECTORS)

# Regenerates into a scratch folder and compares with what is committed;
# a generator that fails (for example on a worked example of the spec
# that disagrees with the generator's algorithm) leaves files missing,
# which count as stale.
CHECK_PARTS += check-conformance-regen
check-conformance-regen:
	@mkdir -p $(RESULTS)
	@rm -rf $(CONF_OUT)/check-regen
	@$(MAKE) --no-print-directory -s conformance-regen-into \
		CONF_REGEN_DIR=$(CONF_OUT)/check-regen || \
		echo "check-conformance-regen: a generator failed"
	@sh conformance/tools/check_regen.sh $(RESULTS)/$@.result \
		$(CONF_OUT)/check-regen

.PHONY: conformance-regen-into
conformance-regen-into:
	$(call CONF_REGEN_INTO,$(CONF_REGEN_DIR))

# Google's parser against every wire vector.
CHECK_PARTS += check-conformance-protoc
check-conformance-protoc:
	@mkdir -p $(RESULTS)
	@PROTOC=$(PROTOC) $(PYTHON) $(CONF_TOOLS)/check_protoc.py \
		--result $(RESULTS)/$@.result $(CONF_VECTORS) || true

# Every MUST and SHOULD of the spec covered by a vector, a named test or
# an exception.
CHECK_PARTS += check-conformance-trace
check-conformance-trace: $(CONF_REQS)
	@mkdir -p $(RESULTS)
	@sh $(CONF_TOOLS)/check_trace.sh $(RESULTS)/$@.result $(PYTHON) \
		$(CONF_REQS) $(CONF_VECTORS)

# The suite against both reference testees, sanitized.
CHECK_PARTS += check-conformance-run
check-conformance-run: $(CONF_ASAN_BINS) $(CONF_REQS)
	@mkdir -p $(RESULTS)
	@sh conformance/tools/check_run.sh $(RESULTS)/$@.result $(CONF_OUT) \
		$(CONF_REQS) $(CONF_VECTORS)

# The suite against the deliberately wrong testees: each run must fail
# with exactly the expected counts.
CHECK_PARTS += check-conformance-self
check-conformance-self: $(CONF_ASAN_BINS) $(CONF_REQS)
	@mkdir -p $(RESULTS)
	@$(PYTHON) $(CONF_TOOLS)/check_self.py --out $(CONF_OUT)/self \
		--runner $(CONF_OUT)/asan/hcp-conformance-runner \
		--testee $(CONF_OUT)/asan/testee-pbc \
		--faulty $(CONF_OUT)/asan/testee-faulty --reqs $(CONF_REQS) \
		--result $(RESULTS)/$@.result $(CONF_VECTORS) || true
