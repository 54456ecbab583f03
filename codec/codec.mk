# SPDX-License-Identifier: Apache-2.0
#
# The codec part: the reference codec libraries, their generated code, the
# unit tests and the benchmark. Included by the top Makefile after
# mk/common.mk.
#
#   make                  build/codec/libhcp.a, libhcp.so (protobuf-c)
#                         and build/codec/libhcp-nanopb.a (nanopb)
#   make install PREFIX=  headers, libraries, hcp.pc and hcp-nanopb.pc
#   make regen            rewrite codec/gen from proto/ in place
#   make bench            codec benchmark table
#   check parts           check-codec (cmocka under ASan+UBSan, gcc and
#                         clang), check-regen, check-format, check-install

CODEC_OUT := $(BUILD)/codec
CODEC_INC := -Icodec/include -Icodec/gen/pbc -Icodec/gen/nanopb
CODEC_OPT := -O2 -g
CODEC_COMMON := error reason framing backoff validate
CODEC_HDRS := codec/include/hcp/hcp.h codec/include/hcp/hcp_pbc.h \
	codec/include/hcp/hcp_nanopb.h codec/src/validate.h
CODEC_GEN_PBC := codec/gen/pbc/hcp/v1/hcp.pb-c.c
CODEC_GEN_PBC_H := codec/gen/pbc/hcp/v1/hcp.pb-c.h
CODEC_GEN_NPB := codec/gen/nanopb/hcp/v1/hcp.pb.c
CODEC_GEN_NPB_H := codec/gen/nanopb/hcp/v1/hcp.pb.h
CODEC_PROTO := proto/hcp/v1/hcp.proto
CODEC_OPTIONS := proto/hcp/v1/hcp.options
CODEC_LIBS_PBC := -lprotobuf-c
CODEC_LIBS_NPB := -lprotobuf-nanopb
CODEC_TEST_LIBS := -lcmocka $(CODEC_LIBS_PBC) $(CODEC_LIBS_NPB)
CODEC_COMPILERS := gcc clang
CODEC_TESTS := error reason framing backoff validate pbc nanopb cross
CODEC_VERSION := 0.1.0

CODEC_A := $(CODEC_OUT)/libhcp.a
CODEC_SO := $(CODEC_OUT)/libhcp.so
CODEC_NPB_A := $(CODEC_OUT)/libhcp-nanopb.a

.PHONY: codec check-codec check-regen check-format check-install \
	codec-bench install-codec

all: codec
codec: $(CODEC_A) $(CODEC_SO) $(CODEC_NPB_A)

# ---- libraries -----------------------------------------------------------

CODEC_OBJ = $(foreach m,$(1),$(CODEC_OUT)/$(2)/$(m).o)
CODEC_PBC_OBJS = $(call CODEC_OBJ,$(CODEC_COMMON) pbc,$(1)) \
	$(CODEC_OUT)/$(1)/hcp.pb-c.o
CODEC_NPB_OBJS = $(call CODEC_OBJ,$(CODEC_COMMON) nanopb,$(1)) \
	$(CODEC_OUT)/$(1)/hcp.pb.o

$(CODEC_OUT)/obj/%.o: codec/src/%.c $(CODEC_HDRS) $(CODEC_GEN_PBC_H) \
		$(CODEC_GEN_NPB_H)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CODEC_OPT) $(CODEC_INC) -c $< -o $@
$(CODEC_OUT)/pic/%.o: codec/src/%.c $(CODEC_HDRS) $(CODEC_GEN_PBC_H)
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CODEC_OPT) -fPIC $(CODEC_INC) -c $< -o $@
$(CODEC_OUT)/obj/hcp.pb-c.o $(CODEC_OUT)/pic/hcp.pb-c.o: $(CODEC_GEN_PBC) \
		$(CODEC_GEN_PBC_H)
	@mkdir -p $(@D)
	$(CC) $(WARN_GEN) $(CODEC_OPT) $(if $(findstring /pic/,$@),-fPIC) \
		$(CODEC_INC) -c $< -o $@
$(CODEC_OUT)/obj/hcp.pb.o: $(CODEC_GEN_NPB) $(CODEC_GEN_NPB_H)
	@mkdir -p $(@D)
	$(CC) $(WARN_GEN) $(CODEC_OPT) $(CODEC_INC) -c $< -o $@

$(CODEC_A): $(call CODEC_PBC_OBJS,obj)
	@rm -f $@
	ar rcs $@ $^
$(CODEC_NPB_A): $(call CODEC_NPB_OBJS,obj)
	@rm -f $@
	ar rcs $@ $^
$(CODEC_SO): $(call CODEC_PBC_OBJS,pic)
	$(CC) -shared -Wl,-soname,libhcp.so.0 -o $@ $^ $(CODEC_LIBS_PBC)

# ---- generated code ------------------------------------------------------

# The exact commands, also recorded in codec/gen/VERSIONS. Generation must
# print nothing: a warning from either generator fails the target.
define CODEC_REGEN_INTO
	@mkdir -p $(1)/pbc $(1)/nanopb
	@$(PROTOC) -Iproto --c_out=$(1)/pbc $(CODEC_PROTO) \
		>$(1)/protoc-c.log 2>&1; rc=$$?; cat $(1)/protoc-c.log; \
		[ $$rc -eq 0 ] && [ ! -s $(1)/protoc-c.log ]
	@$(PROTOC) -Iproto --nanopb_out=$(1)/nanopb \
		--nanopb_opt=-f$(CODEC_OPTIONS) $(CODEC_PROTO) \
		>$(1)/nanopb.log 2>&1; rc=$$?; cat $(1)/nanopb.log; \
		[ $$rc -eq 0 ] && [ ! -s $(1)/nanopb.log ]
endef

regen:: codec-regen
.PHONY: codec-regen
codec-regen:
	$(call CODEC_REGEN_INTO,$(CODEC_OUT)/regen)
	cp $(CODEC_OUT)/regen/pbc/hcp/v1/hcp.pb-c.c \
		$(CODEC_OUT)/regen/pbc/hcp/v1/hcp.pb-c.h codec/gen/pbc/hcp/v1/
	cp $(CODEC_OUT)/regen/nanopb/hcp/v1/hcp.pb.c \
		$(CODEC_OUT)/regen/nanopb/hcp/v1/hcp.pb.h \
		codec/gen/nanopb/hcp/v1/
	sh codec/gen/versions.sh >codec/gen/VERSIONS

# Regenerates into a temporary folder and compares with the committed
# files and VERSIONS: 1 test per generated file, 1 for the generators'
# silence, 1 for VERSIONS.
CHECK_PARTS += check-regen
check-regen:
	@mkdir -p $(RESULTS)
	@rm -rf $(CODEC_OUT)/check-regen
	@p=0; f=0; \
	if $(MAKE) --no-print-directory -s codec-regen-into \
		CODEC_REGEN_DIR=$(CODEC_OUT)/check-regen; then \
		p=$$((p + 1)); else f=$$((f + 1)); \
		echo "check-regen: a generator failed or printed warnings"; fi; \
	for g in pbc/hcp/v1/hcp.pb-c.c pbc/hcp/v1/hcp.pb-c.h \
		nanopb/hcp/v1/hcp.pb.c nanopb/hcp/v1/hcp.pb.h; do \
		if cmp -s codec/gen/$$g $(CODEC_OUT)/check-regen/$$g; then \
			p=$$((p + 1)); \
		else f=$$((f + 1)); \
			echo "check-regen: codec/gen/$$g is stale (make regen)"; \
		fi; \
	done; \
	if sh codec/gen/versions.sh | cmp -s - codec/gen/VERSIONS; then \
		p=$$((p + 1)); else f=$$((f + 1)); \
		echo "check-regen: codec/gen/VERSIONS is stale (make regen)"; fi; \
	echo "$$p $$f" >$(RESULTS)/check-regen.result; \
	echo "check-regen: $$p passed, $$f failed"

.PHONY: codec-regen-into
codec-regen-into:
	$(call CODEC_REGEN_INTO,$(CODEC_REGEN_DIR))

# ---- style ---------------------------------------------------------------

# Every hand-written C file of the repository: the codec's own, and the
# token, fuzz and conformance engineers' files (all formatted with this
# .clang-format when they were added). Generated code (codec/gen,
# conformance/gen) is excluded.
CODEC_FORMAT_FILES := $(sort $(wildcard codec/include/hcp/*.h \
	codec/src/*.[ch] codec/tests/*.[ch] codec/bench/*.c codec/examples/*.c \
	fuzz/*.[ch] fuzz/support/*.[ch] conformance/runner/*.[ch] \
	conformance/testee/*.[ch]))

CHECK_PARTS += check-format
check-format:
	@mkdir -p $(RESULTS)
	@p=0; f=0; \
	for x in $(CODEC_FORMAT_FILES); do \
		if clang-format --style=file --dry-run -Werror $$x \
			>/dev/null 2>&1; then p=$$((p + 1)); \
		else f=$$((f + 1)); \
			echo "check-format: $$x is not clang-formatted"; fi; \
	done; \
	echo "$$p $$f" >$(RESULTS)/check-format.result; \
	echo "check-format: $$p passed, $$f failed"

# ---- tests ---------------------------------------------------------------

CODEC_TEST_CFLAGS := $(WARN) -O1 -g $(SANITIZE) $(CODEC_INC) -Icodec/src \
	-Icodec/tests
CODEC_TEST_HELPERS := codec/tests/frames.c codec/tests/frames.h
# The nanopb test counts every malloc, calloc and realloc call.
CODEC_WRAP := -Xlinker --wrap=malloc -Xlinker --wrap=calloc \
	-Xlinker --wrap=realloc

# One sanitized archive per compiler holding both backends.
define CODEC_TEST_RULES
$(CODEC_OUT)/test-$(1)/%.o: codec/src/%.c $(CODEC_HDRS)
	@mkdir -p $$(@D)
	$(1) $(CODEC_TEST_CFLAGS) -c $$< -o $$@
$(CODEC_OUT)/test-$(1)/hcp.pb-c.o: $(CODEC_GEN_PBC) $(CODEC_GEN_PBC_H)
	@mkdir -p $$(@D)
	$(1) $(WARN_GEN) -O1 -g $(SANITIZE) $(CODEC_INC) -c $$< -o $$@
$(CODEC_OUT)/test-$(1)/hcp.pb.o: $(CODEC_GEN_NPB) $(CODEC_GEN_NPB_H)
	@mkdir -p $$(@D)
	$(1) $(WARN_GEN) -O1 -g $(SANITIZE) $(CODEC_INC) -c $$< -o $$@
$(CODEC_OUT)/test-$(1)/libhcp-test.a: \
		$(call CODEC_OBJ,$(CODEC_COMMON) pbc nanopb,test-$(1)) \
		$(CODEC_OUT)/test-$(1)/hcp.pb-c.o $(CODEC_OUT)/test-$(1)/hcp.pb.o
	@rm -f $$@
	ar rcs $$@ $$^
$(CODEC_OUT)/test-$(1)/test_%: codec/tests/test_%.c $(CODEC_TEST_HELPERS) \
		$(CODEC_OUT)/test-$(1)/libhcp-test.a
	$(1) $(CODEC_TEST_CFLAGS) $$< codec/tests/frames.c \
		$(CODEC_OUT)/test-$(1)/libhcp-test.a $(CODEC_TEST_LIBS) \
		$$(if $$(findstring test_nanopb,$$@),$(CODEC_WRAP)) -o $$@
$(CODEC_OUT)/test-$(1)/notice: codec/examples/notice.c \
		$(CODEC_OUT)/test-$(1)/libhcp-test.a
	$(1) $(CODEC_TEST_CFLAGS) $$< $(CODEC_OUT)/test-$(1)/libhcp-test.a \
		$(CODEC_TEST_LIBS) -o $$@
endef
$(foreach c,$(CODEC_COMPILERS),$(eval $(call CODEC_TEST_RULES,$(c))))

CODEC_TEST_BINS := $(foreach c,$(CODEC_COMPILERS),\
	$(addprefix $(CODEC_OUT)/test-$(c)/test_,$(CODEC_TESTS)) \
	$(CODEC_OUT)/test-$(c)/notice)

# Runs every test binary with TAP output and adds up cmocka's results;
# the example program, the C++ header check and the bench's compile check
# count as one test each. A crash counts its unreported tests as failed.
CHECK_PARTS += check-codec
check-codec: $(CODEC_TEST_BINS) $(CODEC_OUT)/bench_codec
	@mkdir -p $(RESULTS)
	@sh codec/tests/run.sh $(RESULTS)/check-codec.result \
		$(CODEC_OUT) "$(CODEC_COMPILERS)" "$(CODEC_TESTS)" \
		"$(CXX_FOR_HEADERS)" "$(CODEC_INC)"

CXX_FOR_HEADERS ?= g++

# ---- install -------------------------------------------------------------

install: install-codec
install-codec: $(CODEC_A) $(CODEC_SO) $(CODEC_NPB_A)
	sh codec/install.sh "$(DESTDIR)$(PREFIX)" "$(PREFIX)" $(CODEC_VERSION) \
		$(CODEC_OUT)

CHECK_PARTS += check-install
check-install: $(CODEC_A) $(CODEC_SO) $(CODEC_NPB_A)
	@mkdir -p $(RESULTS)
	@sh codec/tests/install_check.sh $(RESULTS)/check-install.result \
		$(CODEC_OUT) $(CODEC_VERSION)

# ---- bench ---------------------------------------------------------------

$(CODEC_OUT)/bench_codec: codec/bench/bench_codec.c codec/tests/frames.c \
		$(CODEC_TEST_HELPERS) $(CODEC_A) $(CODEC_NPB_A)
	$(CC) $(WARN) -O2 -g $(CODEC_INC) -Icodec/src -Icodec/tests \
		codec/bench/bench_codec.c codec/tests/frames.c \
		$(CODEC_OUT)/obj/pbc.o $(CODEC_OUT)/obj/nanopb.o \
		$(CODEC_OUT)/obj/hcp.pb-c.o $(CODEC_OUT)/obj/hcp.pb.o \
		$(call CODEC_OBJ,$(CODEC_COMMON),obj) \
		$(CODEC_LIBS_PBC) $(CODEC_LIBS_NPB) -o $@

bench:: codec-bench
codec-bench: $(CODEC_OUT)/bench_codec
	$(CODEC_OUT)/bench_codec
