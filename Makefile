# SPDX-License-Identifier: Apache-2.0
#
# HCP: the top-level build. Each part of the project keeps its rules in a
# fragment beside its sources; this file only ties them together.
#
#   make               static and shared codec libraries
#   make check         every test, ending in "N passed, N failed"
#   make conformance   the conformance suite against both reference testees
#   make spec          the specification as HTML
#   make bench         codec and token benchmarks
#   make fuzz          every fuzz harness for FUZZ_SECONDS each
#   make regen         regenerate committed generated code
#   make install PREFIX=/usr/local
#
# `check` and `conformance` install missing Debian packages first
# (scripts/deps.sh; root is needed only when something is missing).

.DEFAULT_GOAL := all
.PHONY: all check conformance spec bench fuzz fuzz-smoke regen install \
	deps clean check-summary

include mk/common.mk
include codec/codec.mk
include codec/token.mk
include spec/spec.mk
include conformance/conformance.mk
include fuzz/fuzz.mk

deps:
	@sh scripts/deps.sh

# The main job: installs what is missing first, then runs the suite
# (conformance/conformance.mk; TESTEE="command" for another implementation).
conformance: deps
	@$(MAKE) --no-print-directory conformance-run

# Every check part records "PASSED FAILED" in $(RESULTS)/<part>.result and
# does not stop the build on a failed test, so that the summary below can
# count everything; the summary fails the build if anything failed or if a
# part left no result.
check: deps
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory $(CHECK_PARTS)
	@$(MAKE) --no-print-directory check-summary

check-summary:
	@sh scripts/summary.sh $(RESULTS) $(CHECK_PARTS)

clean:
	rm -rf build
