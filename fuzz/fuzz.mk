# SPDX-License-Identifier: Apache-2.0
#
# The fuzz part: libFuzzer harnesses for every input that comes off the
# network (fuzz/fuzz_*.c), built with clang, AddressSanitizer and
# UndefinedBehaviorSanitizer. The protobuf runtimes are compiled from
# Debian's source packages (fetched once into $(BUILD)/fuzz/src by
# fuzz/fetch-sources.sh, never committed) with the same coverage
# instrumentation as the codec, so that libFuzzer sees the edges inside
# the decoders. See fuzz/README.md.
#
#   make fuzz                 every harness for FUZZ_SECONDS (180) each
#   make fuzz FUZZ_HARNESSES=diff FUZZ_SECONDS=600
#   make fuzz-smoke           every harness for FUZZ_SMOKE_SECONDS each
#   make check-fuzz           the smoke run as a check part
#   make check-fuzz-regress   replay fuzz/regressions/ and the seeds, with
#                             the libFuzzer build and with a gcc build
#   make fuzz-minimize FUZZ_HARNESS=diff FUZZ_CRASH=file

FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SRC := $(FUZZ_DIR)/src
FUZZ_NANOPB := $(FUZZ_SRC)/nanopb-0.4.7
FUZZ_PBC := $(FUZZ_SRC)/protobuf-c-1.4.1
FUZZ_FETCHED := $(FUZZ_SRC)/.fetched

FUZZ_SECONDS ?= 180
FUZZ_SMOKE_SECONDS ?= 8
# Run long campaigns under `nice` on a shared machine: FUZZ_NICE="nice -n 10".
FUZZ_NICE ?=
FUZZ_CC ?= $(CLANG)

# Every harness: fuzz/fuzz_<name>.c. The testee harness is built when the
# conformance runner is there, the token harness when its file is.
FUZZ_ALL := decode_pbc decode_nanopb diff pbc_alloc framing backoff \
	$(if $(wildcard conformance/runner/runner.h),testee) \
	$(if $(wildcard fuzz/fuzz_token.c),token)
FUZZ_HARNESSES ?= $(FUZZ_ALL)

# The smallest coverage (edges) a smoke run must reach: a harness that
# sees only a few edges is not fuzzing the code it is meant to (an
# uninstrumented runtime shows up here).
FUZZ_MIN_COV_decode_pbc := 400
FUZZ_MIN_COV_decode_nanopb := 400
FUZZ_MIN_COV_diff := 600
FUZZ_MIN_COV_pbc_alloc := 400
FUZZ_MIN_COV_framing := 40
FUZZ_MIN_COV_backoff := 40
FUZZ_MIN_COV_testee := 40
FUZZ_MIN_COV_token := 40

# Longest input per harness: a frame of the largest size plus the
# harness's parameter bytes; libFuzzer's default otherwise.
FUZZ_MAX_LEN_decode_pbc := 16400
FUZZ_MAX_LEN_decode_nanopb := 16400
FUZZ_MAX_LEN_diff := 16400
FUZZ_MAX_LEN_pbc_alloc := 16400
FUZZ_MAX_LEN_framing := 20000

# Dictionaries (fuzz/dict/): the frame harnesses share one.
FUZZ_DICT_decode_pbc := fuzz/dict/frame.dict
FUZZ_DICT_decode_nanopb := fuzz/dict/frame.dict
FUZZ_DICT_diff := fuzz/dict/frame.dict
FUZZ_DICT_pbc_alloc := fuzz/dict/frame.dict
FUZZ_DICT_framing := fuzz/dict/framing.dict

FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_INC := -Icodec/include -Icodec/gen/pbc -Icodec/gen/nanopb -Icodec/src \
	-Ifuzz/support -Iconformance/runner -Iconformance/gen
# The runtimes' headers from the fetched sources, ahead of the system's.
FUZZ_RT_INC := -I$(FUZZ_NANOPB) -I$(FUZZ_PBC)
# Debian builds libprotobuf-nanopb.a with PB_ENABLE_MALLOC: so do we.
FUZZ_RT_DEFS := -DPB_ENABLE_MALLOC
FUZZ_COMMON := -g -O1 -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_CFLAGS := $(FUZZ_COMMON) $(FUZZ_SAN) -fsanitize=fuzzer-no-link
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer
# The project's warnings: as errors for the harnesses, as warnings for
# the code under test, whose own builds enforce them (with their flags).
FUZZ_WARN := $(filter-out -Werror,$(WARN))
FUZZ_WARN_GEN := $(filter-out -Werror,$(WARN_GEN))
FUZZ_WARN_FOR = $(if $(filter fuzz/%,$(1)),$(WARN),$\
	$(if $(filter codec/gen/% conformance/gen/%,$(1)),$\
	$(FUZZ_WARN_GEN),$(FUZZ_WARN)))

FUZZ_CODEC_SRCS := $(filter-out codec/src/token%.c,$(wildcard codec/src/*.c))
FUZZ_TOKEN_SRCS := $(wildcard codec/src/token*.c)
FUZZ_GEN_SRCS := codec/gen/pbc/hcp/v1/hcp.pb-c.c \
	codec/gen/nanopb/hcp/v1/hcp.pb.c
FUZZ_SUPPORT_SRCS := fuzz/support/util.c fuzz/support/check_pbc.c \
	fuzz/support/check_nanopb.c
FUZZ_HDRS := $(wildcard codec/include/hcp/*.h codec/src/*.h \
	codec/gen/pbc/hcp/v1/*.h codec/gen/nanopb/hcp/v1/*.h fuzz/support/*.h \
	conformance/runner/*.h conformance/gen/hcp/conformance/v1/*.h)

# Extra archives (built for each compiler) and libraries per harness.
FUZZ_DEPS_token := libhcp-token.a
FUZZ_LDLIBS_token := -lsodium
FUZZ_DEPS_testee := libtestee.a bin/answer
FUZZ_LDLIBS_testee := -ljansson
# protobuf-c 1.4.1 shifts a signed int past its width when it reads a
# five-byte tag (protobuf-c.c, parse_tag_and_wiretype), which the runner
# reaches with a testee's answer (fuzz/regressions/README.md). The testee
# harness links a copy of the runtime built without that one check, so
# that it can fuzz the runner past it; every other harness keeps it.
FUZZ_CLANG_DEPS_testee := rt/protobuf-c-noshift.o
# The conformance runner without its main(), and its generated protocol.
FUZZ_TESTEE_SRCS := \
	$(filter-out %/main.c,$(wildcard conformance/runner/*.c)) \
	$(wildcard conformance/gen/hcp/conformance/v1/*.c)

FUZZ_CLANG := $(FUZZ_DIR)/clang
FUZZ_GCC := $(FUZZ_DIR)/gcc
FUZZ_CORPUS := $(FUZZ_DIR)/corpus
FUZZ_WORK := $(FUZZ_DIR)/work

# check-fuzz and check-fuzz-regress build the same files; under `make -j`
# they may run at once, so their builds take a lock (flock, util-linux).
FUZZ_LOCK := $(if $(shell command -v flock),flock $(FUZZ_DIR)/.lock)

.PHONY: fuzz-sources fuzz-build fuzz-seeds fuzz-minimize fuzz-run-one \
	check-fuzz check-fuzz-regress

# ---- Debian's sources --------------------------------------------------

$(FUZZ_FETCHED): fuzz/fetch-sources.sh
	@sh fuzz/fetch-sources.sh $(FUZZ_SRC)
	@touch $@

fuzz-sources: $(FUZZ_FETCHED)

# ---- instrumented build (clang, libFuzzer) -----------------------------

$(FUZZ_CLANG)/rt/pb_%.o: $(FUZZ_FETCHED)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_RT_DEFS) $(FUZZ_RT_INC) -w \
		-c $(FUZZ_NANOPB)/pb_$*.c -o $@

$(FUZZ_CLANG)/rt/protobuf-c.o: $(FUZZ_FETCHED)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_RT_INC) -w \
		-c $(FUZZ_PBC)/protobuf-c/protobuf-c.c -o $@

$(FUZZ_CLANG)/rt/protobuf-c-noshift.o: $(FUZZ_FETCHED)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fno-sanitize=shift-base $(FUZZ_RT_INC) -w \
		-c $(FUZZ_PBC)/protobuf-c/protobuf-c.c -o $@

FUZZ_RT_OBJS = $(addprefix $(1)/rt/,pb_common.o pb_decode.o pb_encode.o \
	protobuf-c.o)

$(FUZZ_CLANG)/obj/%.o: %.c $(FUZZ_HDRS) $(FUZZ_FETCHED)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_RT_DEFS) $(FUZZ_RT_INC) $(FUZZ_INC) \
		$(call FUZZ_WARN_FOR,$<) \
		-c $< -o $@

FUZZ_OBJS = $(patsubst %.c,$(1)/obj/%.o,$(2))

$(FUZZ_CLANG)/librt.a: $(call FUZZ_RT_OBJS,$(FUZZ_CLANG))
$(FUZZ_CLANG)/libhcp.a: $(call FUZZ_OBJS,$(FUZZ_CLANG),$(FUZZ_CODEC_SRCS) \
	$(FUZZ_GEN_SRCS) $(FUZZ_SUPPORT_SRCS))
$(FUZZ_CLANG)/libhcp-token.a: $(call FUZZ_OBJS,$(FUZZ_CLANG),$(FUZZ_TOKEN_SRCS))
$(FUZZ_CLANG)/libtestee.a: $(call FUZZ_OBJS,$(FUZZ_CLANG),$(FUZZ_TESTEE_SRCS))
$(FUZZ_CLANG)/%.a:
	@rm -f $@
	ar rcs $@ $^

# The fake testee of fuzz_testee.c, beside each build's harness.
$(FUZZ_CLANG)/bin/answer $(FUZZ_GCC)/bin/answer: fuzz/support/answer.c
	@mkdir -p $(@D)
	$(CC) -O1 -o $@ $<

# One link rule per harness, for the instrumented and the replay build.
define FUZZ_HARNESS_RULES
$(FUZZ_CLANG)/bin/fuzz_$(1): $(FUZZ_CLANG)/obj/fuzz/fuzz_$(1).o \
		$(addprefix $(FUZZ_CLANG)/,$(FUZZ_CLANG_DEPS_$(1))) \
		$(addprefix $(FUZZ_CLANG)/,$(FUZZ_DEPS_$(1))) \
		$(FUZZ_CLANG)/libhcp.a $(FUZZ_CLANG)/librt.a
	@mkdir -p $$(@D)
	$$(FUZZ_CC) $$(FUZZ_LDFLAGS) $$(filter %.o %.a,$$^) \
		$$(FUZZ_LDLIBS_$(1)) -o $$@

$(FUZZ_GCC)/bin/replay_$(1): $(FUZZ_GCC)/obj/fuzz/fuzz_$(1).o \
		$(FUZZ_GCC)/obj/fuzz/support/replay.o \
		$(addprefix $(FUZZ_GCC)/,$(FUZZ_DEPS_$(1))) \
		$(FUZZ_GCC)/libhcp.a
	@mkdir -p $$(@D)
	$$(GCC) $$(SANITIZE) $$(filter %.o %.a,$$^) $$(FUZZ_LDLIBS_$(1)) \
		-lprotobuf-c -lprotobuf-nanopb -o $$@
endef
$(foreach h,$(FUZZ_ALL),$(eval $(call FUZZ_HARNESS_RULES,$(h))))

FUZZ_BINS := $(addprefix $(FUZZ_CLANG)/bin/fuzz_,$(FUZZ_HARNESSES))

fuzz-build: $(FUZZ_BINS)

# ---- replay build (gcc, packaged runtimes, no libFuzzer) ---------------
#
# A plain main() (fuzz/support/replay.c) calls LLVMFuzzerTestOneInput on
# each file, so regression inputs are replayed where clang is absent and
# without the fetched sources.

FUZZ_GCC_CFLAGS := $(FUZZ_COMMON) $(SANITIZE)

$(FUZZ_GCC)/obj/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(GCC) $(FUZZ_GCC_CFLAGS) $(FUZZ_INC) \
		$(call FUZZ_WARN_FOR,$<) \
		-c $< -o $@

$(FUZZ_GCC)/libhcp.a: $(call FUZZ_OBJS,$(FUZZ_GCC),$(FUZZ_CODEC_SRCS) \
	$(FUZZ_GEN_SRCS) $(FUZZ_SUPPORT_SRCS))
$(FUZZ_GCC)/libhcp-token.a: $(call FUZZ_OBJS,$(FUZZ_GCC),$(FUZZ_TOKEN_SRCS))
$(FUZZ_GCC)/libtestee.a: $(call FUZZ_OBJS,$(FUZZ_GCC),$(FUZZ_TESTEE_SRCS))
$(FUZZ_GCC)/%.a:
	@rm -f $@
	ar rcs $@ $^

FUZZ_REPLAYS := $(addprefix $(FUZZ_GCC)/bin/replay_,$(FUZZ_HARNESSES))

# ---- seeds -------------------------------------------------------------

FUZZ_VECTORS := $(wildcard conformance/vectors/*.json)

# Written aside and swapped in, so that a reader never sees half a corpus.
$(FUZZ_CORPUS)/.seeded: fuzz/seeds.py $(FUZZ_VECTORS)
	@rm -rf $(FUZZ_CORPUS).new $(FUZZ_CORPUS).old
	$(PYTHON) fuzz/seeds.py $(FUZZ_CORPUS).new $(FUZZ_VECTORS)
	@touch $(FUZZ_CORPUS).new/.seeded
	@if [ -d $(FUZZ_CORPUS) ]; then mv $(FUZZ_CORPUS) $(FUZZ_CORPUS).old; fi
	@mv $(FUZZ_CORPUS).new $(FUZZ_CORPUS) && rm -rf $(FUZZ_CORPUS).old

fuzz-seeds: $(FUZZ_CORPUS)/.seeded

# ---- runs --------------------------------------------------------------

# Further libFuzzer flags for `make fuzz`, e.g. FUZZ_FLAGS="-fork=1
# -ignore_crashes=1" to keep a campaign going past a known crash.
FUZZ_FLAGS ?=

# fuzz/run.sh BIN NAME SECONDS WORK SEEDS DICT MAX_LEN MIN_COV FRESH FLAGS
FUZZ_RUN = sh fuzz/run.sh $(FUZZ_CLANG)/bin/fuzz_$(1) $(1) $(2) \
	$(FUZZ_WORK)/$(strip $(3))/$(1) $(FUZZ_CORPUS)/$(1) \
	"$(FUZZ_DICT_$(1))" "$(FUZZ_MAX_LEN_$(1))" \
	"$(FUZZ_MIN_COV_$(1))" $(4) "$(5)"

fuzz: $(FUZZ_BINS) $(FUZZ_CORPUS)/.seeded
	@fail=0; for h in $(FUZZ_HARNESSES); do \
		$(FUZZ_NICE) $(MAKE) --no-print-directory fuzz-run-one \
			FUZZ_ONE=$$h FUZZ_ONE_SECONDS=$(FUZZ_SECONDS) \
			FUZZ_ONE_MODE=long FUZZ_ONE_FRESH=0 \
			FUZZ_ONE_FLAGS="$(FUZZ_FLAGS)" || fail=1; \
	done; exit $$fail

fuzz-smoke: $(FUZZ_BINS) $(FUZZ_CORPUS)/.seeded
	@fail=0; for h in $(FUZZ_HARNESSES); do \
		$(MAKE) --no-print-directory fuzz-run-one FUZZ_ONE=$$h \
			FUZZ_ONE_SECONDS=$(FUZZ_SMOKE_SECONDS) \
			FUZZ_ONE_MODE=smoke FUZZ_ONE_FRESH=1 || fail=1; \
	done; exit $$fail

FUZZ_RUN_ONE = $(call FUZZ_RUN,$(FUZZ_ONE),$(FUZZ_ONE_SECONDS),\
	$(FUZZ_ONE_MODE),$(FUZZ_ONE_FRESH),$(FUZZ_ONE_FLAGS))
fuzz-run-one:
	@$(FUZZ_RUN_ONE)

# The smoke run as a check part: one test per harness. Fails (records
# failures) when the sources cannot be fetched or clang is missing,
# rather than passing with nothing fuzzed.
check-fuzz:
	@mkdir -p $(RESULTS)
	@n=$(words $(FUZZ_ALL)); \
	if ! command -v $(FUZZ_CC) >/dev/null 2>&1; then \
		echo "check-fuzz: $(FUZZ_CC) not found: no harness was run" \
			"(FAILED)"; \
		echo "0 $$n" >$(RESULTS)/check-fuzz.result; exit 0; \
	fi; \
	mkdir -p $(FUZZ_DIR); \
	if ! $(FUZZ_LOCK) $(MAKE) -s --no-print-directory fuzz-sources; then \
		echo "check-fuzz: Debian's nanopb and protobuf-c sources" \
			"could not be fetched: no harness was run (FAILED)"; \
		echo "0 $$n" >$(RESULTS)/check-fuzz.result; exit 0; \
	fi; \
	if ! $(FUZZ_LOCK) $(MAKE) -s --no-print-directory -j2 \
			$(addprefix $(FUZZ_CLANG)/bin/fuzz_,$(FUZZ_ALL)) \
			$(FUZZ_CORPUS)/.seeded; then \
		echo "check-fuzz: the fuzz build failed (FAILED)"; \
		echo "0 $$n" >$(RESULTS)/check-fuzz.result; exit 0; \
	fi; \
	pass=0; fail=0; for h in $(FUZZ_ALL); do \
		if $(MAKE) --no-print-directory fuzz-run-one FUZZ_ONE=$$h \
			FUZZ_ONE_SECONDS=$(FUZZ_SMOKE_SECONDS) \
			FUZZ_ONE_MODE=smoke FUZZ_ONE_FRESH=1; then \
			pass=$$((pass + 1)); else fail=$$((fail + 1)); fi; \
	done; \
	echo "$$pass $$fail" >$(RESULTS)/check-fuzz.result

# Replays every committed regression input and every seed, once with the
# libFuzzer build (when clang is present) and once with the gcc replay
# driver: one test per harness and compiler.
check-fuzz-regress:
	@mkdir -p $(RESULTS)
	@mkdir -p $(FUZZ_DIR); pass=0; fail=0; \
	if ! $(FUZZ_LOCK) $(MAKE) -s --no-print-directory \
			$(FUZZ_CORPUS)/.seeded; then \
		echo "check-fuzz-regress: seeds could not be made (FAILED)"; \
		fail=$$((fail + 1)); \
	fi; \
	if $(FUZZ_LOCK) $(MAKE) -s --no-print-directory -j2 \
			$(addprefix $(FUZZ_GCC)/bin/replay_,$(FUZZ_ALL)); then \
		for h in $(FUZZ_ALL); do \
			if sh fuzz/replay.sh gcc $(FUZZ_GCC)/bin/replay_$$h \
				$$h fuzz/regressions/$$h $(FUZZ_CORPUS)/$$h; \
			then pass=$$((pass + 1)); \
			else fail=$$((fail + 1)); fi; \
		done; \
	else \
		echo "check-fuzz-regress: the gcc replay build failed (FAILED)"; \
		fail=$$((fail + $(words $(FUZZ_ALL)))); \
	fi; \
	if ! command -v $(FUZZ_CC) >/dev/null 2>&1; then \
		echo "check-fuzz-regress: $(FUZZ_CC) not found: replayed" \
			"with gcc only"; \
	elif ! $(FUZZ_LOCK) $(MAKE) -s --no-print-directory fuzz-sources || \
		! $(FUZZ_LOCK) $(MAKE) -s --no-print-directory -j2 \
			$(addprefix $(FUZZ_CLANG)/bin/fuzz_,$(FUZZ_ALL)); then \
		echo "check-fuzz-regress: no libFuzzer build (sources not" \
			"fetched or build failed): clang replay FAILED"; \
		fail=$$((fail + $(words $(FUZZ_ALL)))); \
	else \
		for h in $(FUZZ_ALL); do \
			if sh fuzz/replay.sh clang $(FUZZ_CLANG)/bin/fuzz_$$h \
				$$h fuzz/regressions/$$h $(FUZZ_CORPUS)/$$h; \
			then pass=$$((pass + 1)); \
			else fail=$$((fail + 1)); fi; \
		done; \
	fi; \
	echo "$$pass $$fail" >$(RESULTS)/check-fuzz-regress.result

# Minimizes a crash input: make fuzz-minimize FUZZ_HARNESS=h FUZZ_CRASH=f
# writes $(FUZZ_DIR)/minimized/<h>/<name of f>.
FUZZ_MIN_OUT = $(FUZZ_DIR)/minimized/$(FUZZ_HARNESS)
fuzz-minimize: $(FUZZ_CLANG)/bin/fuzz_$(FUZZ_HARNESS)
	@mkdir -p $(FUZZ_MIN_OUT)
	$(FUZZ_CLANG)/bin/fuzz_$(FUZZ_HARNESS) -minimize_crash=1 -runs=20000 \
		-exact_artifact_path=$(FUZZ_MIN_OUT)/$(notdir $(FUZZ_CRASH)) \
		$(FUZZ_CRASH)

CHECK_PARTS += check-fuzz check-fuzz-regress
