# scalesim — build, test, benchmark.
#   make            build ./scalesim
#   make demo       build and run the built-in demo scenario (out/demo)
#   make report-check  render the demo's report.html with headless Chromium to a PNG
#   make test       build and run every test program
#   make check      the tests again, built with AddressSanitizer + UBSan
#   make bench      benchmarks: simulated requests/s and peak memory
#   make deps       install the Debian packages it needs (as root)
#   make fuzz       build the parsers' fuzz harnesses (clang libFuzzer + ASan/UBSan)
#                   and run each for FUZZ_SECONDS (default 60)
# Every target that compiles first runs `make deps`'s check, so a fresh Debian
# machine needs nothing but the toolchain.

CC      ?= cc
PKGS    := gsl libfyaml
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
# Where the built-in demo finds its trace: this tree, or PREFIX/share/scalesim
# for an installed binary (make install sets it).
DATADIR ?= $(CURDIR)
override CFLAGS += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter -I. \
  -DSCALESIM_DATADIR='"$(DATADIR)"'
LDLIBS  += -lcsv -lplot -lz -lm

BUILD   ?= build
SRC_DIRS := sim models models/ecs models/cloudrun workloads output
LIB_SRC := $(filter-out sim/main.c,$(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/demo_yaml.o
TESTS   := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TEST_BIN := $(TESTS:%=$(BUILD)/tests/%)
BENCHES := $(patsubst bench/%.c,%,$(wildcard bench/*.c))

.PHONY: all deps demo report-check test check bench bench-full clean install fuzz fuzz-bin fuzz-build
BIN     ?= scalesim
all: $(BIN)

deps:
	@sh scripts/deps.sh

$(BUILD)/.flags: deps
	@mkdir -p $(BUILD)
	@echo '$(CC) $(CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(LDFLAGS)' > $@

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

$(BUILD)/%.o: %.c $(BUILD)/.flags
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

# The demo scenario is compiled into the binary so that `scalesim run` needs no file.
$(BUILD)/gen/demo_yaml.c: docs/examples/demo.yaml scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh scenario_demo_yaml $< > $@
$(BUILD)/gen/demo_yaml.o: $(BUILD)/gen/demo_yaml.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libscalesim.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/sim/main.o $(BUILD)/libscalesim.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/check.h $(BUILD)/libscalesim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libscalesim.a $(PKG_LIBS) $(LDLIBS)

# The fuzz-regression test links the harnesses themselves (tests/fuzz/fuzz.h).
FUZZ_SRC := $(wildcard tests/fuzz/*.c)
$(BUILD)/tests/test_fuzz_regressions: tests/test_fuzz_regressions.c $(FUZZ_SRC) tests/fuzz/fuzz.h \
    tests/check.h $(BUILD)/libscalesim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -DFUZZ_NO_MAIN -o $@ $< $(FUZZ_SRC) \
	  $(BUILD)/libscalesim.a $(PKG_LIBS) $(LDLIBS)

$(BUILD)/bench/%: bench/%.c $(BUILD)/libscalesim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libscalesim.a $(PKG_LIBS) $(LDLIBS)

demo: scalesim
	./scalesim run -o out/demo

# The demo's report opened in a real browser: headless Chromium (Debian's
# `chromium`, not installed by `make deps`) renders out/demo/report.html, as
# `scalesim report` regenerates it, to out/demo/report.png. Look at the PNG.
CHROMIUM ?= chromium
report-check: demo
	./scalesim report out/demo
	@command -v $(CHROMIUM) >/dev/null || \
	  { echo "report-check needs $(CHROMIUM): apt-get install chromium" >&2; exit 1; }
	@rm -f out/demo/report.png; profile=$$(mktemp -d); \
	  $(CHROMIUM) --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	    --disable-background-networking --disable-component-update --disable-sync \
	    --user-data-dir=$$profile --screenshot=out/demo/report.png --window-size=1280,4000 \
	    file://$(CURDIR)/out/demo/report.html 2>/dev/null; rm -rf $$profile
	@test -s out/demo/report.png || { echo "chromium wrote no screenshot" >&2; exit 1; }
	@echo "screenshot: out/demo/report.png (1280x4000) - look at it"

test: $(BIN) $(TEST_BIN)
	@sh tests/run.sh $(BUILD)/tests ./$(BIN) $(TESTS)

# The same tests, every object rebuilt with AddressSanitizer and UBSan.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
check: deps
	@$(MAKE) --no-print-directory BUILD=build-check BIN=build-check/scalesim \
	  CFLAGS='-O1 -g $(SAN)' LDFLAGS='$(SAN)' test

# Fuzzing (issue 8): every tests/fuzz/fuzz_*.c harness, with the library, built
# by clang with libFuzzer, AddressSanitizer and UBSan into build-fuzz/, then run
# for FUZZ_SECONDS each from its seed corpus (tests/fuzz/README.md).
FUZZ_SECONDS ?= 60
FUZZ_HARNESSES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
fuzz: fuzz-bin
	@sh tests/fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

# Only builds the harnesses (build-fuzz/fuzz/fuzz_<name>).
fuzz-bin: deps
	@$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang \
	  CFLAGS='-O1 -g -fsanitize=fuzzer-no-link $(SAN)' LDFLAGS='$(SAN)' fuzz-build

fuzz-build: $(FUZZ_HARNESSES:%=$(BUILD)/fuzz/fuzz_%)

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/common.c tests/fuzz/fuzz.h $(BUILD)/libscalesim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -fsanitize=fuzzer -o $@ $< tests/fuzz/common.c \
	  $(BUILD)/libscalesim.a $(PKG_LIBS) $(LDLIBS)

bench: scalesim $(BENCHES:%=$(BUILD)/bench/%)
	@sh bench/run.sh $(BUILD)/bench

# The whole World Cup 98 per-minute series (about 1.35 billion requests over
# 88 days) against a fixed fleet: requests/s and peak RSS (memory stays flat).
bench-full: scalesim $(BUILD)/bench/bench_run
	$(BUILD)/bench/bench_run bench/full/worldcup98-fixed.yaml

clean:
	rm -rf build build-check build-fuzz scalesim out

PREFIX ?= /usr/local
install: deps
	$(MAKE) BUILD=build-install BIN=build-install/scalesim DATADIR=$(PREFIX)/share/scalesim \
	  build-install/scalesim
	install -D -m 755 build-install/scalesim $(DESTDIR)$(PREFIX)/bin/scalesim
	mkdir -p $(DESTDIR)$(PREFIX)/share/scalesim/workloads
	cp -R workloads/traces $(DESTDIR)$(PREFIX)/share/scalesim/workloads/

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
