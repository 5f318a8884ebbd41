# SPDX-License-Identifier: GPL-2.0
# v6trace: out-of-tree build in $(OUTPUT); `make V=1` shows the full commands.

CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
# The build machine's architecture in libbpf's names (__TARGET_ARCH_*), and the target's:
# `make ARCH=arm64` cross-builds on x86_64 (mk/cross.mk), into .output/arm64 unless OUTPUT is
# given; `make bpf-arm64` builds only the arm64 BPF object.
HOST_ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64.*/arm64/' \
	-e 's/riscv64/riscv/' -e 's/s390x/s390/' -e 's/ppc64.*/powerpc/' -e 's/loongarch64/loongarch/')
ARCH := $(HOST_ARCH)
ifeq ($(ARCH),$(HOST_ARCH))
OUTPUT ?= .output
else
OUTPUT ?= .output/$(ARCH)
endif
comma := ,

# Debian packages the build and the tests need (installed by `make deps`, run by run/check).
BUILD_PKGS := make gcc clang llvm libbpf-dev bpftool libelf-dev zlib1g-dev pkg-config
# node_exporter and the Prometheus client's text-format parser: the integration group
# "metrics" scrapes and parses --metrics' file with them (tests/integration/metrics.c)
TEST_PKGS := libcmocka-dev libjson-c-dev iproute2 libclang-rt-14-dev tmux socat \
	prometheus-node-exporter python3-prometheus-client
# the programs whose hints the integration group "hints" tries (tests/integration/hints.c);
# the JDK, not a JRE: the test runs its server as a single-file source program
HINT_TEST_PKGS := nginx-light apache2 openssh-server default-jdk-headless nodejs socat python3 systemd
# the man page, completion, service and .deb tests (tests/packaging)
PKG_TEST_PKGS := scdoc bash-completion man-db python3 util-linux systemd debhelper dpkg-dev lintian \
	build-essential python3-yaml
# What `make check` cross-builds on this machine, and with what: arm64 on x86_64, run under
# qemu's user-mode emulation (qemu-aarch64, no binfmt registration) for a smoke test.
CHECK_CROSS_ARCHS_x86 := arm64
CHECK_CROSS_ARCHS := $(CHECK_CROSS_ARCHS_$(HOST_ARCH))
CROSS_TEST_PKGS_arm64 := gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
CROSS_TEST_PKGS := $(foreach a,$(CHECK_CROSS_ARCHS),$(CROSS_TEST_PKGS_$(a)))

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wundef \
	-Wformat=2 -Wno-format-nonliteral -Wpointer-arith -Wcast-qual -Wno-missing-field-initializers
CFLAGS ?= -O2 -g
CFLAGS += $(WARNINGS) -std=gnu11 -D_GNU_SOURCE -Iinclude -Isrc -Isrc/core -Isrc/live -I$(OUTPUT)
LDLIBS := -lbpf -lelf -lz -pthread
# A cross build (ARCH is not the build machine's, mk/cross.mk) sets the compiler, where the
# target's libraries are (TARGET_LDFLAGS) and the sysroot every compile waits for.
TARGET_LDFLAGS :=
SYSROOT_STAMP :=
ifneq ($(ARCH),$(HOST_ARCH))
include mk/cross.mk
endif
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror -Iinclude -Ivmlinux

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# maps.bpf.o goes first: libbpf 1.1's linker mis-relocates extern maps seen before their definition
BPF_SRCS := bpf/maps.bpf.c $(filter-out bpf/maps.bpf.c,$(wildcard bpf/*.bpf.c))
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(BPF_SRCS))
# The core: records, recordings, the pipeline and its outputs; no libbpf (README: Build and layout).
CORE_SRCS := $(wildcard src/core/*.c)
CORE_OBJS := $(patsubst src/%.c,$(OUTPUT)/src/%.o,$(CORE_SRCS))
CORE_LIB := $(OUTPUT)/libv6tcore.a
# The option parser, which the tests share with v6trace; the live side, which alone needs libbpf.
OPT_OBJS := $(OUTPUT)/src/options.o
APP_OBJS := $(patsubst src/%.c,$(OUTPUT)/src/%.o,$(filter-out src/main.c,$(wildcard src/*.c src/live/*.c)))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))
ITEST_SRCS := $(wildcard tests/integration/*.c)
ITEST_OBJS := $(patsubst tests/integration/%.c,$(OUTPUT)/tests/integration/%.o,$(ITEST_SRCS))
# rootless tests that run the built binary (replay of committed recordings)
ROOTLESS_BINS := $(OUTPUT)/tests/golden

.DELETE_ON_ERROR:
.PHONY: all deps run check unit integration clean vmlinux golden-update fuzz fuzz-regress vmtest packaging bench bench-events \
	bench-snapshot bpf-arm64 function-length static cross static-test

all: $(OUTPUT)/v6trace

deps:
	$(Q)scripts/install-deps.sh $(BUILD_PKGS) $(TEST_PKGS) $(HINT_TEST_PKGS) $(PKG_TEST_PKGS) \
		$(CROSS_TEST_PKGS)

$(OUTPUT) $(OUTPUT)/bpf $(OUTPUT)/src $(OUTPUT)/src/core $(OUTPUT)/src/live $(OUTPUT)/tests \
		$(OUTPUT)/tests/integration:
	$(Q)mkdir -p $@

$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c | $(OUTPUT)/bpf
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

# One object holds every backend; the static linker resolves the shared maps.
$(OUTPUT)/v6trace.bpf.o: $(BPF_OBJS)
	$(call msg,LINK-BPF,$@)
	$(Q)$(BPFTOOL) gen object $@ $^

$(OUTPUT)/v6trace.skel.h: $(OUTPUT)/v6trace.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name v6trace_bpf > $@

# The BPF object and skeleton for arm64, in their own directory (user space is not
# cross-built): `make check` builds them, so no x86-only code creeps into bpf/.
bpf-arm64:
	$(Q)$(MAKE) --no-print-directory ARCH=arm64 OUTPUT=$(OUTPUT)/arm64 $(OUTPUT)/arm64/v6trace.skel.h

$(OUTPUT)/src/%.o: src/%.c $(OUTPUT)/v6trace.skel.h | $(OUTPUT)/src $(SYSROOT_STAMP)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/src/live/%.o: src/live/%.c $(OUTPUT)/v6trace.skel.h | $(OUTPUT)/src/live $(SYSROOT_STAMP)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(OUTPUT)/src/core/%.o: src/core/%.c | $(OUTPUT)/src/core $(SYSROOT_STAMP)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(CORE_LIB): $(CORE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(OUTPUT)/v6trace: $(OUTPUT)/src/main.o $(APP_OBJS) $(CORE_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(TARGET_LDFLAGS) $^ $(LDLIBS) -o $@

# `make static`: libbpf, libelf, zlib and the C library in one file, which runs on any Linux of
# its architecture with BTF, whatever its libc. glibc warns at link time when a static program
# uses what needs its shared libraries at run time (NSS: getpwnam, getaddrinfo), so warnings
# fail the link. (libelf's messages go through gettext, which could load a charset converter,
# but only in a locale other than C, and v6trace never calls setlocale.)
$(OUTPUT)/static/v6trace: $(OUTPUT)/src/main.o $(APP_OBJS) $(CORE_LIB)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(TARGET_LDFLAGS) -static -Wl,--fatal-warnings $^ $(LDLIBS) -o $@

static: $(OUTPUT)/static/v6trace

# On x86_64, the arm64 build: v6trace, the static one and the integration tests' binary, into
# $(OUTPUT)/arm64 (the packaging tests check them; tests/vm runs them).
cross:
	$(Q)$(foreach a,$(CHECK_CROSS_ARCHS),$(MAKE) --no-print-directory ARCH=$(a) \
		OUTPUT=$(OUTPUT)/$(a) all static $(OUTPUT)/$(a)/tests/itest &&) true

# unit tests link the core alone (and the option parser): no libbpf
$(OUTPUT)/tests/test_%: tests/unit/test_%.c $(OPT_OBJS) $(CORE_LIB) | $(OUTPUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(TARGET_LDFLAGS) -Wno-cast-qual -MMD -MP $< $(filter %.o %.a,$^) \
		-lcmocka -ljson-c -o $@

# and what of the live side needs no libbpf, such as the sock_diag reader
$(OUTPUT)/tests/test_diag: $(OUTPUT)/src/live/diag.o

$(OUTPUT)/tests/integration/%.o: tests/integration/%.c | $(OUTPUT)/tests/integration \
		$(SYSROOT_STAMP)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Wno-cast-qual -Itests/integration -MMD -MP -c $< -o $@

$(OUTPUT)/tests/golden: tests/golden/golden.c tests/golden/cases.h $(OUTPUT)/tests/integration/harness.o
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(TARGET_LDFLAGS) -Wno-cast-qual -Itests/integration -MMD -MP $< \
		$(OUTPUT)/tests/integration/harness.o -lcmocka -ljson-c -o $@

# the tests use the product's cgroup2 lookup rather than a second copy of it
$(OUTPUT)/tests/itest: $(ITEST_OBJS) $(CORE_LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(TARGET_LDFLAGS) $^ -pthread -lcmocka -ljson-c -o $@

# The backend `auto` must choose on the kernel under test. On this project's machines (6.18,
# function tracing blocked, CONFIG_KPROBES off) that is tracepoint; elsewhere, e.g.
# `make check EXPECT_AUTO=fentry`.
EXPECT_AUTO ?= tracepoint
# The backends this machine's configuration removes whatever its kernel version (the compat
# group expects them refused); on another machine, e.g. `make check COMPAT_ABSENT=`.
COMPAT_ABSENT ?= fentry,kprobe
ITEST_ENV := V6TRACE_BIN=$(OUTPUT)/v6trace V6TRACE_EXPECT_BACKEND=$(EXPECT_AUTO) \
	     V6TRACE_COMPAT_ABSENT=$(COMPAT_ABSENT)

run: deps all
	$(OUTPUT)/v6trace $(ARGS)

unit: $(UNIT_BINS) $(ROOTLESS_BINS) $(OUTPUT)/v6trace
	$(Q)V6TRACE_BIN=$(OUTPUT)/v6trace tests/run-tests.sh unit $(UNIT_BINS) $(ROOTLESS_BINS)

# Rewrite tests/golden's expected outputs from this build; read the diff before committing.
golden-update: $(OUTPUT)/tests/golden $(OUTPUT)/v6trace
	V6TRACE_BIN=$(OUTPUT)/v6trace $(OUTPUT)/tests/golden --update

integration: $(OUTPUT)/v6trace $(OUTPUT)/tests/itest
	$(Q)$(ITEST_ENV) tests/run-tests.sh integration $(OUTPUT)/tests/itest

check: deps
	$(Q)$(MAKE) --no-print-directory all $(UNIT_BINS) $(ROOTLESS_BINS) $(OUTPUT)/tests/itest \
		$(OUTPUT)/fuzz/fuzz_reader bpf-arm64
	$(Q)$(MAKE) --no-print-directory fuzz-regress
	$(Q)$(MAKE) --no-print-directory function-length
	$(Q)$(ITEST_ENV) tests/run-tests.sh check $(UNIT_BINS) $(ROOTLESS_BINS) $(OUTPUT)/tests/itest
	$(Q)$(MAKE) --no-print-directory packaging
	$(Q)$(MAKE) --no-print-directory static-test
	$(Q)$(MAKE) --no-print-directory vmtest

include mk/install.mk

# The man page and README against --help, the bash completion, the systemd unit's
# privileges and the .deb, end to end.
PACKAGING_TESTS := tests/packaging/man-matches-help.sh tests/packaging/readme-help.sh \
	tests/packaging/kubernetes.sh \
	tests/packaging/completion.sh tests/packaging/service.sh tests/packaging/deb.sh
packaging: $(OUTPUT)/v6trace
	$(Q)tests/run-scripts.sh $(PACKAGING_TESTS)

# The static binary, and the arm64 ones cross-built here: what they link, and that they run
# (here, and under qemu-aarch64).
static-test: $(OUTPUT)/v6trace $(OUTPUT)/static/v6trace $(OUTPUT)/tests/golden cross
	$(Q)OUTPUT=$(OUTPUT) CROSS_ARCHS="$(CHECK_CROSS_ARCHS)" tests/static/check.sh

# The recording reader under libFuzzer with ASan and UBSan: the core and the option parser,
# rebuilt with the sanitizers.
FUZZ_SRCS := fuzz/fuzz_reader.c src/options.c $(CORE_SRCS)
FUZZ_FLAGS := -Wall -Werror -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 \
	-D_GNU_SOURCE -Iinclude -Isrc -Isrc/core
FUZZ_SECONDS ?= 60
FUZZ_CORPUS := tests/fuzz/corpus
FUZZ_CRASHES := $(wildcard tests/fuzz/crashes/*)

$(OUTPUT)/fuzz/fuzz_reader: $(FUZZ_SRCS) $(wildcard src/core/*.h) src/options.h include/v6trace.h
	$(call msg,FUZZ-CC,$@)
	$(Q)mkdir -p $(OUTPUT)/fuzz
	$(Q)$(CLANG) $(FUZZ_FLAGS) $(FUZZ_SRCS) -o $@

# Explore for FUZZ_SECONDS; new inputs go to $(OUTPUT)/fuzz/corpus, crashes to $(OUTPUT)/fuzz/.
# Copy a crash into tests/fuzz/crashes/ once fixed: `make check` replays it from then on.
fuzz: $(OUTPUT)/fuzz/fuzz_reader
	$(Q)mkdir -p $(OUTPUT)/fuzz/corpus
	$(OUTPUT)/fuzz/fuzz_reader -max_total_time=$(FUZZ_SECONDS) -max_len=16384 \
		-artifact_prefix=$(OUTPUT)/fuzz/ $(OUTPUT)/fuzz/corpus $(FUZZ_CORPUS)

# The regression run in `make check`: every committed corpus file and saved crash, once.
FUZZ_INPUTS := $(wildcard $(FUZZ_CORPUS)/*) $(FUZZ_CRASHES)
fuzz-regress: $(OUTPUT)/fuzz/fuzz_reader
	$(Q)$(OUTPUT)/fuzz/fuzz_reader $(FUZZ_INPUTS) > $(OUTPUT)/fuzz/regress.log 2>&1 || \
		{ cat $(OUTPUT)/fuzz/regress.log; echo "fuzz-regress: a saved input crashes the reader"; exit 1; }
	$(Q)echo "fuzz-regress: $(words $(FUZZ_INPUTS)) saved inputs replayed under ASan/UBSan, no crash"

# No function longer than a screen, but for flat switches (the rule: scripts/function-length.py).
function-length:
	$(Q)scripts/function-length.py src bpf

# The kernel matrix: this host (auto) and Debian's kernels under qemu (tests/vm/kernels) with
# every backend; `make vmtest KERNELS="host 6.1"` runs only those.
KERNELS ?=
vmtest: $(OUTPUT)/static/v6trace $(OUTPUT)/tests/itest cross
	$(Q)tests/vm/matrix-check.sh
	$(Q)tests/vm/matrix.sh $(OUTPUT) $(EXPECT_AUTO) $(KERNELS)

# The benchmark (not part of check): a few minutes on 2 cores; see BENCHMARKS.md.
$(OUTPUT)/bench/acceptstorm: bench/acceptstorm.c | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -g -Wall -Wextra -Werror -pthread $< -o $@

$(OUTPUT)/bench/floor.bpf.o: bench/floor.bpf.c include/v6trace.h | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/bench/floor: bench/floor.c include/v6trace.h | $(OUTPUT)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -O2 -g -Wall -Wextra -Werror -Iinclude $< -o $@ -lbpf

bench: deps $(OUTPUT)/v6trace $(OUTPUT)/bench/acceptstorm $(OUTPUT)/bench/floor $(OUTPUT)/bench/floor.bpf.o
	$(Q)scripts/install-deps.sh bpftrace python3
	$(Q)python3 bench/run.py $(BENCH_ARGS)

# What the events cost beyond the hooks: one event per connection against all (BENCHMARKS.md).
bench-events: deps $(OUTPUT)/v6trace $(OUTPUT)/bench/acceptstorm $(OUTPUT)/bench/floor $(OUTPUT)/bench/floor.bpf.o
	$(Q)scripts/install-deps.sh python3
	$(Q)python3 bench/events.py $(EVENTS_ROUNDS)

# The start-up snapshot of 20,000 sockets, against another build with SNAPSHOT_ARGS="--before PATH".
bench-snapshot: deps $(OUTPUT)/v6trace $(OUTPUT)/bench/acceptstorm
	$(Q)scripts/install-deps.sh python3
	$(Q)python3 bench/snapshot.py $(SNAPSHOT_ARGS)

# Regenerate the committed vmlinux.h from this machine's kernel BTF.
vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux/vmlinux.h.tmp
	mv vmlinux/vmlinux.h.tmp vmlinux/vmlinux.h

clean:
	rm -rf $(OUTPUT)

-include $(wildcard $(OUTPUT)/bpf/*.d $(OUTPUT)/src/*.d $(OUTPUT)/src/core/*.d $(OUTPUT)/src/live/*.d \
	$(OUTPUT)/tests/*.d $(OUTPUT)/tests/integration/*.d)
