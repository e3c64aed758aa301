# casey — plain Makefile (GNU make).
#
#   make            build ./casey and ./casey-gen
#   make test       build and run every test (unit, command line, screen)
#   make asan       the same tests under AddressSanitizer + UBSan
#   make fuzz       the libFuzzer harnesses, FUZZ_SECONDS (60) each (clang)
#   make install    PREFIX=/usr/local DESTDIR=
#   make sample     regenerate sample-data/ with the generator
#   V=1             show the commands

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/casey
MANDIR  ?= $(PREFIX)/share/man/man1

CC      ?= cc
PKG_CONFIG ?= pkg-config
BUILD   ?= build

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wformat=2 -Wvla
ifdef WERROR
WARN    += -Werror
endif
OPT     ?= -O2 -g
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 \
            -DCASEY_DATADIR='"$(DATADIR)"'
CFLAGS  += -std=c11 $(OPT) $(WARN) -MMD -MP \
           $(shell $(PKG_CONFIG) --cflags sqlite3 inih)
CORE_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 inih) -lcsv -lm -pthread
# ncursesw's -D_XOPEN_SOURCE=600 would clash with ours (700, which has it all).
TUI_CFLAGS := $(filter-out -D_XOPEN_SOURCE=%,$(shell $(PKG_CONFIG) --cflags ncursesw))
TUI_LIBS   := $(shell $(PKG_CONFIG) --libs ncursesw)
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka)
TEST_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka)

ifeq ($(V),1)
Q :=
else
Q := @
endif

CORE_SRC := $(sort $(wildcard src/core/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TUI_SRC  := $(sort $(wildcard src/tui/*.c))
GEN_SRC  := $(sort $(wildcard src/gen/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))

CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ  := $(TUI_SRC:%.c=$(BUILD)/%.o)
GEN_OBJ  := $(GEN_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# The action store's tests again, and the command-line suite on a casey
# built the same way, with keyset_put() keeping 2 bits of each 64-bit
# hash (keyset.c): every open action shares its hash with others, so the
# paths a real collision takes (one in 10^7 runs) run every time.
NARROW     := rules score plans renewals reviews reviews_import
NARROW_OBJ := $(BUILD)/narrow/keyset.o
NARROW_BIN := $(BUILD)/narrow/casey
TEST_BIN   += $(NARROW:%=$(BUILD)/tests/narrow/test_%)
LIBCORE  := $(BUILD)/libcasey.a

# The default build leaves ./casey and ./casey-gen at the top; any other
# BUILD (make asan) keeps its binaries in its own tree, so a sanitizer
# build never replaces the one people run and benchmark.
ifeq ($(BUILD),build)
CASEY_BIN := casey
GEN_BIN   := casey-gen
else
CASEY_BIN := $(BUILD)/casey
GEN_BIN   := $(BUILD)/casey-gen
endif

all: $(CASEY_BIN) $(GEN_BIN)

$(CASEY_BIN): $(CLI_OBJ) $(TUI_OBJ) $(LIBCORE)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(TUI_OBJ) $(LIBCORE) \
		$(CORE_LIBS) $(TUI_LIBS)

$(GEN_BIN): $(GEN_OBJ)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(GEN_OBJ) -lm

$(LIBCORE): $(CORE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $(CORE_OBJ)

$(BUILD)/src/tui/%.o: src/tui/%.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(TUI_CFLAGS) -c -o $@ $<

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(TEST_CFLAGS) -o $@ $< $(LIBCORE) \
		$(CORE_LIBS) $(TEST_LIBS)

# Linked before the library, the narrow keyset.o stands in for its own.
$(NARROW_OBJ): src/core/keyset.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (narrow hashes)")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -DKEYSET_PUT_MASK=0x3 -c -o $@ $<

$(BUILD)/tests/narrow/%: tests/unit/%.c tests/unit/testutil.h $(NARROW_OBJ) $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (narrow hashes)")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(TEST_CFLAGS) -o $@ $< $(NARROW_OBJ) $(LIBCORE) \
		$(CORE_LIBS) $(TEST_LIBS)

$(NARROW_BIN): $(CLI_OBJ) $(TUI_OBJ) $(NARROW_OBJ) $(LIBCORE)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(TUI_OBJ) $(NARROW_OBJ) $(LIBCORE) \
		$(CORE_LIBS) $(TUI_LIBS)

# Every test: the cmocka unit binaries, then the command-line scripts.
# Tests find assets/ and the fixtures relative to the source tree.
test: all $(TEST_BIN) $(NARROW_BIN)
	$(Q)CASEY_ASSETS=$(CURDIR)/assets CASEY_FIXTURES=$(CURDIR)/tests/fixtures \
		sh tests/run-unit.sh $(TEST_BIN)
	$(Q)CASEY_ASSETS=$(CURDIR)/assets sh tests/cli/run.sh $(CURDIR)/$(CASEY_BIN)
	$(Q)echo "with narrow hashes:" && \
		CASEY_ASSETS=$(CURDIR)/assets sh tests/cli/run.sh $(CURDIR)/$(NARROW_BIN)
	$(Q)perl tests/sql-check.pl src && sh tests/crash/run.sh $(CURDIR)/$(CASEY_BIN)
	$(Q)CASEY_ASSETS=$(CURDIR)/assets sh tests/screen/run.sh $(CURDIR)/$(CASEY_BIN)

# The same suite, rebuilt in its own tree with the sanitizers.
asan:
	$(MAKE) BUILD=build-asan OPT="-O1 -g -fsanitize=address,undefined \
		-fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" test

# Fuzzing with clang's libFuzzer (tests/fuzz/): the core is rebuilt in
# build-fuzz/ with ASan + UBSan and coverage, each harness runs for
# FUZZ_SECONDS on its seed corpus (new inputs go to build-fuzz/corpus/),
# and any crash, leak or sanitizer report fails, leaving the input in
# build-fuzz/artifacts/. Not part of `make test`; CI runs a short round.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build-fuzz
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN     := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIBCORE)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(LIBCORE) $(CORE_LIBS)

# The import limits are made small so that short inputs reach them.
FUZZ_LIMITS  := -DCS_FIELD_MAX=300 -DCS_FIELDS_MAX=64 -DCS_RECORD_MAX=2000 -DCSV_BLOCK=7

fuzz-build:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT="-O1 -g $(FUZZ_LIMITS) \
		-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
		-fno-omit-frame-pointer" LDFLAGS="-fsanitize=address,undefined" $(FUZZ_BIN)

fuzz: fuzz-build
	$(Q)CASEY_ASSETS=$(CURDIR)/assets sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BIN)

# Figures at scale beside baselines measured in the same run (not a test):
# BENCH_SCALE customers (1000000), BENCH_RUNS runs per figure (3).
bench: all
	sh tests/bench/run.sh

# The bundled sample company, as of the day its data ends.
SAMPLE_AS_OF := 2026-11-20
DEMO_DB ?= $(BUILD)/demo.db

# A fresh database from sample-data/, then the dashboard (or, until it
# exists, the summary).
demo: all
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	./casey --db $(DEMO_DB) import sample-data/*.csv
	./casey --db $(DEMO_DB) --as-of $(SAMPLE_AS_OF) score --from 2026-08-21 --to $(SAMPLE_AS_OF)
	./casey --db $(DEMO_DB) --as-of $(SAMPLE_AS_OF)

sample: casey-gen
	./casey-gen --customers 300 --as-of $(SAMPLE_AS_OF) --seed 20261120 -o sample-data

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)
	install -m 0755 casey $(DESTDIR)$(BINDIR)/casey
	install -m 0755 casey-gen $(DESTDIR)$(BINDIR)/casey-gen
	install -m 0644 docs/casey.1 $(DESTDIR)$(MANDIR)/casey.1
	cp -R assets/. $(DESTDIR)$(DATADIR)/
	find $(DESTDIR)$(DATADIR) -type d -exec chmod 0755 {} +
	find $(DESTDIR)$(DATADIR) -type f -exec chmod 0644 {} +

clean:
	rm -rf $(BUILD) build-asan $(FUZZ_BUILD) casey casey-gen

.PHONY: all test asan bench fuzz fuzz-build install clean sample demo

-include $(CORE_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TUI_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(NARROW_OBJ:.o=.d)
