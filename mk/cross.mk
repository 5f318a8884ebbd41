# SPDX-License-Identifier: GPL-2.0
# Cross-building user space: `make ARCH=arm64` on a machine of another architecture (x86_64
# here). The Makefile includes this file when ARCH is not the build machine's. Debian's cross
# compiler and C library (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross) build; the target's
# libraries come from Debian's archive, unpacked into a sysroot of our own in
# $(OUTPUT)/sysroot (scripts/sysroot.sh): never installed, no foreign architecture added to
# dpkg. The BPF object is the same as `make bpf-arm64` builds, its skeleton made by the build
# machine's bpftool.

# A rule here must not become the default goal: the Makefile includes this file before `all`.
v6t_cross_default_goal := $(.DEFAULT_GOAL)

CROSS_TRIPLET_arm64 := aarch64-linux-gnu
CROSS_DEB_ARCH_arm64 := arm64
CROSS_PKGS_arm64 := gcc-aarch64-linux-gnu libc6-dev-arm64-cross

CROSS_TRIPLET := $(CROSS_TRIPLET_$(ARCH))
CROSS_DEB_ARCH := $(CROSS_DEB_ARCH_$(ARCH))

ifneq ($(CROSS_TRIPLET),)
ifeq ($(origin CC),default)
CC := $(CROSS_TRIPLET)-gcc
endif
ifeq ($(origin AR),default)
AR := $(CROSS_TRIPLET)-ar
endif
endif

# The libraries of the build machine's own Debian release, as its cross C library is; the
# runtime packages (libc6 and libgcc-s1 included) are there for whoever runs what is built
# here, under qemu or in a guest: each NEEDED library is found in the sysroot.
SYSROOT ?= $(OUTPUT)/sysroot
SYSROOT_SUITE ?= $(shell . /etc/os-release && echo $$VERSION_CODENAME)
SYSROOT_PKGS := libbpf-dev libbpf1 libelf-dev libelf1 zlib1g-dev zlib1g libcmocka-dev libcmocka0 \
	libjson-c-dev libjson-c5 libc6 libgcc-s1
SYSROOT_LIBDIRS := $(SYSROOT)/usr/lib/$(CROSS_TRIPLET) $(SYSROOT)/lib/$(CROSS_TRIPLET)
SYSROOT_STAMP := $(SYSROOT)/.packages

CFLAGS += -isystem $(SYSROOT)/usr/include
TARGET_LDFLAGS := $(addprefix -L,$(SYSROOT_LIBDIRS)) \
	$(addprefix -Wl$(comma)-rpath-link$(comma),$(SYSROOT_LIBDIRS))

$(SYSROOT_STAMP): scripts/sysroot.sh mk/cross.mk
	$(if $(CROSS_TRIPLET),,$(error cross-building user space for ARCH=$(ARCH) is not \
		supported (arm64 is); `make bpf-$(ARCH)` builds its BPF object))
	$(Q)scripts/install-deps.sh $(CROSS_PKGS_$(ARCH))
	$(Q)scripts/sysroot.sh $(SYSROOT) $(SYSROOT_SUITE) $(CROSS_DEB_ARCH) $(SYSROOT_PKGS)
	$(Q)touch $@

.DEFAULT_GOAL := $(v6t_cross_default_goal)
