# scalesim — build, test, benchmark.
#   make            build ./scalesim
#   make demo       build and run the built-in demo scenario (out/demo)
#   make test       build and run every test program
#   make check      the tests again, built with AddressSanitizer + UBSan
#   make bench      benchmarks: simulated requests/s and peak memory
#   make deps       install the Debian packages it needs (as root)
# Every target that compiles first runs `make deps`'s check, so a fresh Debian
# machine needs nothing but the toolchain.

CC      ?= cc
PKGS    := gsl libfyaml
OPT     ?= -O2
CFLAGS  ?= $(OPT) -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wno-unused-parameter -I.
LDLIBS  += -lcsv -lplot -lz -lm

BUILD   ?= build
SRC_DIRS := sim models models/ecs models/cloudrun workloads output
LIB_SRC := $(filter-out sim/main.c,$(foreach d,$(SRC_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/demo_yaml.o
TESTS   := $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))
TEST_BIN := $(TESTS:%=$(BUILD)/tests/%)
BENCHES := $(patsubst bench/%.c,%,$(wildcard bench/*.c))

.PHONY: all deps demo test check bench clean install
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

$(BUILD)/bench/%: bench/%.c $(BUILD)/libscalesim.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(PKG_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libscalesim.a $(PKG_LIBS) $(LDLIBS)

demo: scalesim
	./scalesim run -o out/demo

test: $(BIN) $(TEST_BIN)
	@sh tests/run.sh $(BUILD)/tests ./$(BIN) $(TESTS)

# The same tests, every object rebuilt with AddressSanitizer and UBSan.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
check: deps
	@$(MAKE) --no-print-directory BUILD=build-check BIN=build-check/scalesim \
	  CFLAGS='-O1 -g $(SAN)' LDFLAGS='$(SAN)' test

bench: scalesim $(BENCHES:%=$(BUILD)/bench/%)
	@sh bench/run.sh $(BUILD)/bench

clean:
	rm -rf build build-check scalesim out

PREFIX ?= /usr/local
install: scalesim
	install -D -m 755 scalesim $(DESTDIR)$(PREFIX)/bin/scalesim

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
