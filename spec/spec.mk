# SPDX-License-Identifier: Apache-2.0
#
# The specification: `make spec` renders build/spec/hcp.html from the
# chapters spec/*.md (in name order) with pandoc; every requirement gets an
# HTML anchor equal to its ID and every reference links to it
# (spec/tools/reqlinks.lua), and the summary appendix is generated from the
# chapters (spec/tools/assemble.py, reqs.py). `make check-spec` checks the
# requirement IDs, the build, the anchors, the limits against hcp.h and
# hcp.options, the backoff examples and the example frames.

PANDOC ?= pandoc
SPEC_DIR := spec
SPEC_OUT := $(BUILD)/spec
SPEC_SRC := $(sort $(wildcard $(SPEC_DIR)/*.md))
SPEC_TOOLS := $(SPEC_DIR)/tools/reqs.py $(SPEC_DIR)/tools/assemble.py \
	$(SPEC_DIR)/tools/reqlinks.lua
SPEC_TITLE := HCP v1: the Herd Control Protocol

.PHONY: check-spec spec-reqs

spec: $(SPEC_OUT)/hcp.html

$(SPEC_OUT)/hcp.md: $(SPEC_SRC) $(SPEC_TOOLS)
	@mkdir -p $(SPEC_OUT)
	$(PYTHON) $(SPEC_DIR)/tools/assemble.py $(SPEC_DIR) $@

$(SPEC_OUT)/hcp.html: $(SPEC_OUT)/hcp.md
	$(PANDOC) --from markdown --to html5 --standalone --wrap=none \
		--toc --toc-depth 2 --number-sections \
		--metadata title="$(SPEC_TITLE)" --metadata lang=en \
		--lua-filter $(SPEC_DIR)/tools/reqlinks.lua -o $@ $<

# The requirements as TSV, for the conformance traceability check.
spec-reqs:
	@mkdir -p $(SPEC_OUT)
	$(PYTHON) $(SPEC_DIR)/tools/reqs.py > $(SPEC_OUT)/reqs.tsv

CHECK_PARTS += check-spec

# Records "PASSED FAILED" in $(RESULTS)/check-spec.result; a failed
# sub-check is recorded, not turned into a build failure.
check-spec:
	@mkdir -p $(RESULTS) $(SPEC_OUT)
	@rm -f $(SPEC_OUT)/hcp.html $(SPEC_OUT)/hcp.md; \
	if $(MAKE) --no-print-directory spec >$(SPEC_OUT)/build.log 2>&1; \
	then built=1; else built=0; cat $(SPEC_OUT)/build.log; fi; \
	$(PYTHON) $(SPEC_DIR)/tools/check_spec.py --built $$built \
		--html $(SPEC_OUT)/hcp.html --protoc $(PROTOC) \
		--result $(RESULTS)/check-spec.result
