# ipcgrade - autograder for inter-process-communication assignments.
# Build: make   Test: make check   Sanitizers: make asan   Demo: make demo
# One suite: CK_RUN_SUITE=batch make check (or make asan)   Verbose: make V=1
# Bench: make bench (sandbox launch; batch of 100 at -j 1 and -j 2)
# Format: make format / format-check   Install: make install PREFIX=/usr/local

VARIANT   ?= debug
ifeq ($(VARIANT),debug)
BUILD     := build
else
BUILD     := build/$(VARIANT)
endif
PREFIX    ?= /usr/local

CC        ?= cc
CFLAGS    ?= -O2 -g
WARNINGS  := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
             -Wformat=2 -Wvla -Wwrite-strings -Wpointer-arith -Wundef \
             -Wimplicit-fallthrough -Werror=implicit-function-declaration
# -Wcast-qual is left out on purpose: argv for execve() needs git's cast.
CFLAGS    += -std=gnu17 $(WARNINGS) -fno-common
CPPFLAGS  += -D_GNU_SOURCE -Isandbox -Iharness -Igraders -MMD -MP
ifdef DEVELOPER
CFLAGS    += -Werror
endif

ifeq ($(VARIANT),asan)
CFLAGS    += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
             -fno-omit-frame-pointer
LDFLAGS   += -fsanitize=address,undefined
endif

# Build dependencies: installed by .ci/install-deps when pkg-config misses one.
RUNTIME_PKGS := libseccomp jansson libcrypto
TEST_PKGS    := check
NODEPS_GOALS := help clean format format-check
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
ifneq ($(shell pkg-config --exists $(RUNTIME_PKGS) $(TEST_PKGS) 2>/dev/null && echo ok),ok)
$(info ipcgrade: build dependencies are missing; running .ci/install-deps)
DEPS_RC := $(shell ./.ci/install-deps >&2; echo $$?)
ifneq ($(DEPS_RC),0)
$(error .ci/install-deps failed (exit $(DEPS_RC)); install: check libseccomp-dev libjansson-dev libssl-dev pkg-config)
endif
endif
RUNTIME_CFLAGS := $(shell pkg-config --cflags $(RUNTIME_PKGS))
RUNTIME_LIBS   := $(shell pkg-config --libs $(RUNTIME_PKGS))
TEST_CFLAGS    := $(shell pkg-config --cflags $(TEST_PKGS))
TEST_LIBS      := $(shell pkg-config --libs $(TEST_PKGS))
endif
CPPFLAGS += $(RUNTIME_CFLAGS)

SANDBOX_SRC := $(wildcard sandbox/*.c)
HARNESS_SRC := $(filter-out harness/main.c,$(wildcard harness/*.c))
GRADERS_SRC := $(wildcard graders/*.c)
LIB_SRC     := $(SANDBOX_SRC) $(HARNESS_SRC) $(GRADERS_SRC)
LIB_OBJ     := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ    := $(BUILD)/obj/harness/main.o
TEST_SRC    := $(wildcard tests/*.c)
# Benchmarks have their own main().
TEST_OBJ    := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)
ALL_C       := $(LIB_SRC) harness/main.c $(TEST_SRC) $(wildcard tests/hostile/*.c) \
               $(wildcard tests/progs/*.c tests/bench/*.c graders/probes/*.c \
                 graders/probes/*/*.c graders/preload/*.c)
ALL_H       := $(wildcard sandbox/*.h harness/*.h graders/*.h graders/probes/*.h \
                 graders/probes/*/*.h tests/*.h tests/hostile/*.h \
                 assignments/*/starter/*.h)

# Hostile programs are student code: built without sanitizers, static and
# dynamic, so that no attack gets past the kernel filter by linking.
HOSTILE_SRC := $(wildcard tests/hostile/*.c)
HOSTILE_BIN := $(HOSTILE_SRC:tests/hostile/%.c=$(BUILD)/hostile/%) \
               $(HOSTILE_SRC:tests/hostile/%.c=$(BUILD)/hostile/%.static)
HOSTILE_CFLAGS := -std=gnu17 -O1 -g -w -D_GNU_SOURCE -pthread
# Probe programs graders put in a student's chain (installed with the
# binary), and small programs the unit tests run in the sandbox. Probes are
# ours: the project's warnings, but no sanitizers (they run in the sandbox).
PROBE_CFLAGS := -std=gnu17 -O2 -g $(WARNINGS) -pthread $(if $(DEVELOPER),-Werror)
PROBES_SRC  := $(wildcard graders/probes/*.c)
# Libraries a grader preloads into the student's program (LD_PRELOAD).
PRELOAD_SRC := $(wildcard graders/preload/*.c)
PROBES_BIN  := $(PROBES_SRC:graders/probes/%.c=$(BUILD)/probes/%) \
               $(PRELOAD_SRC:graders/preload/%.c=$(BUILD)/probes/%.so)
PROGS_SRC   := $(wildcard tests/progs/*.c)
PROGS_BIN   := $(PROGS_SRC:tests/progs/%.c=$(BUILD)/progs/%)

# Quiet by default, like git and redis; `make V=1` shows full commands.
ifndef V
quiet = @printf '  %-6s %s\n' $(1) $(2);
endif

.PHONY: all check unit-check asan demo bench format format-check install \
        uninstall clean help
all: $(BUILD)/ipcgrade $(PROBES_BIN)

help:
	@sed -n 's/^# //p' Makefile | head -5

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(CPPFLAGS) $(TEST_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/ipcgrade: $(MAIN_OBJ) $(LIB_OBJ)
	$(call quiet,LINK,$@)$(CC) $(LDFLAGS) -o $@ $^ $(RUNTIME_LIBS)

$(BUILD)/check_ipcgrade: $(TEST_OBJ) $(LIB_OBJ)
	$(call quiet,LINK,$@)$(CC) $(LDFLAGS) -o $@ $^ $(TEST_LIBS) $(RUNTIME_LIBS)

$(BUILD)/hostile/%: tests/hostile/%.c tests/hostile/hostile.h
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(HOSTILE_CFLAGS) -o $@ $<

# A probe is graders/probes/NAME.c, plus graders/probes/NAME/*.c if that
# folder exists (netprobe).
$(BUILD)/probes/%: graders/probes/%.c graders/probes/probe.h \
                   graders/probes/witness.h graders/probes/confine.h \
                   sandbox/fdpass.h
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(PROBE_CFLAGS) -Igraders/probes -Isandbox -o $@ \
		$(filter %.c,$^)

$(BUILD)/probes/netprobe: $(wildcard graders/probes/netprobe/*.[ch])
$(BUILD)/probes/trace: $(wildcard graders/probes/trace/*.[ch])

$(BUILD)/probes/%.so: graders/preload/%.c
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(PROBE_CFLAGS) -fPIC -shared -o $@ $< -ldl

$(BUILD)/progs/%: tests/progs/%.c
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(HOSTILE_CFLAGS) -o $@ $<

$(BUILD)/hostile/%.static: tests/hostile/%.c tests/hostile/hostile.h
	@mkdir -p $(@D)
	$(call quiet,CC,$@)$(CC) $(HOSTILE_CFLAGS) -static -o $@ $<

# The unit and hostile suites find the binaries through these variables.
check: $(BUILD)/ipcgrade $(BUILD)/check_ipcgrade $(HOSTILE_BIN) $(PROGS_BIN) \
       $(PROBES_BIN)
	@# Two thirds of the example and cheat gradings run beside everything
	@# else, in two more runners: gradings mostly wait on pacing, sleeps
	@# and readiness, so three at once take a third of the time.
	@set -e; export IPCGRADE_BIN=$(BUILD)/ipcgrade \
		IPCGRADE_HOSTILE=$(BUILD)/hostile IPCGRADE_PROGS=$(BUILD)/progs; \
	log=$(BUILD)/examples-part; part=; rc2=0; rc3=0; \
	case "$${CK_RUN_SUITE:-all}" in all) more=examples,cheats;; \
	examples|cheats|examples,cheats) more=$$CK_RUN_SUITE;; *) more=;; esac; \
	if [ -n "$$more" ]; then part=0/3; \
		CK_RUN_SUITE=$$more IPCGRADE_EXAMPLES_PART=1/3 \
		$(BUILD)/check_ipcgrade >$$log-2.log 2>&1 & part2=$$!; \
		CK_RUN_SUITE=$$more IPCGRADE_EXAMPLES_PART=2/3 \
		$(BUILD)/check_ipcgrade >$$log-3.log 2>&1 & part3=$$!; fi; \
	rc=0; IPCGRADE_EXAMPLES_PART=$$part $(BUILD)/check_ipcgrade || rc=$$?; \
	if [ -n "$$part" ]; then wait $$part2 || rc2=$$?; \
		wait $$part3 || rc3=$$?; \
		echo "--- examples and cheats, second third:"; cat $$log-2.log; \
		echo "--- examples and cheats, last third:"; cat $$log-3.log; fi; \
	test $$rc = 0 && test $$rc2 = 0 && test $$rc3 = 0

asan:
	$(MAKE) VARIANT=asan check

demo: $(BUILD)/ipcgrade $(PROGS_BIN) $(PROBES_BIN)
	@./tests/demo.sh $(BUILD)/ipcgrade $(BUILD)/progs

$(BUILD)/bench-launch: $(BUILD)/obj/tests/bench/launch.o $(LIB_OBJ)
	$(call quiet,LINK,$@)$(CC) $(LDFLAGS) -o $@ $^ $(RUNTIME_LIBS)

# Launch times, each example's grading time against its reference's, then
# batch throughput (BENCH_SUBMISSIONS, default 100).
bench: $(BUILD)/ipcgrade $(BUILD)/bench-launch $(PROBES_BIN)
	@command -v bwrap >/dev/null || ./.ci/install-deps --bench
	$(BUILD)/bench-launch $(BUILD)/ipcgrade
	./tests/bench/examples.sh $(BUILD)/ipcgrade
	./tests/bench/batch.sh $(BUILD)/ipcgrade

format:
	clang-format -i $(ALL_C) $(ALL_H)

format-check:
	@clang-format --dry-run --Werror $(ALL_C) $(ALL_H) && echo "format-check: ok"

install: $(BUILD)/ipcgrade $(PROBES_BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/ipcgrade \
		$(DESTDIR)$(PREFIX)/lib/ipcgrade/probes
	install -m 755 $(BUILD)/ipcgrade $(DESTDIR)$(PREFIX)/bin/ipcgrade
	install -m 755 $(PROBES_BIN) $(DESTDIR)$(PREFIX)/lib/ipcgrade/probes/
	cp -R assignments reference $(DESTDIR)$(PREFIX)/share/ipcgrade/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ipcgrade
	rm -rf $(DESTDIR)$(PREFIX)/lib/ipcgrade
	rm -rf $(DESTDIR)$(PREFIX)/share/ipcgrade

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
