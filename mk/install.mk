# SPDX-License-Identifier: GPL-2.0
# Installation and the Debian package: `make install`, `make uninstall`, `make man`,
# `make deb`. The main Makefile includes this file (include mk/install.mk), which brings
# OUTPUT, $(OUTPUT)/v6trace and the quiet-build helpers Q and msg. Standing alone, for a test:
#   make -f Makefile -f mk/install.mk install DESTDIR=/tmp/x PREFIX=/usr
#
# PREFIX (default /usr/local) and DESTDIR follow the GNU conventions. Installed:
#   $(PREFIX)/sbin/v6trace                                  the tool needs root: sbin
#   $(PREFIX)/share/man/man8/v6trace.8.gz                   from docs/v6trace.8.scd (scdoc)
#   $(PREFIX)/share/bash-completion/completions/v6trace     loaded on demand by bash-completion
#   $(PREFIX)/share/doc/v6trace/{README.md,format.md}
#   $(SYSTEMDUNITDIR)/v6trace-record.service                not enabled; see below

# Read once, even when named twice (included by the Makefile and given with -f).
ifndef V6T_INSTALL_MK
V6T_INSTALL_MK := 1

# A rule here must not become the default goal when this file is included before `all`.
v6t_install_default_goal := $(.DEFAULT_GOAL)

OUTPUT ?= .output
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL ?= install
SCDOC ?= scdoc
GZIP_N ?= gzip -9n

SBINDIR ?= $(PREFIX)/sbin
MAN8DIR ?= $(PREFIX)/share/man/man8
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
DOCDIR ?= $(PREFIX)/share/doc/v6trace
# Debian 12's systemd and debhelper keep packaged units in /lib/systemd/system (lintian flags
# /usr/lib/systemd/system there); a local install keeps its unit under its own prefix.
ifeq ($(PREFIX),/usr)
SYSTEMDUNITDIR ?= /lib/systemd/system
else
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
endif

V6T_UNIT := v6trace-record.service
V6T_DOCS := README.md docs/format.md

.PHONY: man install uninstall deb

man: $(OUTPUT)/v6trace.8

$(OUTPUT)/v6trace.8: docs/v6trace.8.scd
	$(call msg,SCDOC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(SCDOC) < $< > $@

# -n: no name or time stamp in the gzip header, so the package is reproducible
$(OUTPUT)/v6trace.8.gz: $(OUTPUT)/v6trace.8
	$(call msg,GZIP,$@)
	$(Q)$(GZIP_N) < $< > $@

# The unit names the binary by its path, so it must point where this install puts it.
$(OUTPUT)/$(V6T_UNIT): systemd/$(V6T_UNIT)
	$(call msg,GEN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)sed 's|/usr/sbin/v6trace|$(SBINDIR)/v6trace|g' $< > $@

# Phony, so that a changed PREFIX between two installs rewrites the unit's path.
.PHONY: $(OUTPUT)/$(V6T_UNIT)

install: $(OUTPUT)/v6trace $(OUTPUT)/v6trace.8.gz $(OUTPUT)/$(V6T_UNIT)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MAN8DIR) $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSTEMDUNITDIR)
	$(Q)$(INSTALL) -m 0755 $(OUTPUT)/v6trace $(DESTDIR)$(SBINDIR)/v6trace
	$(Q)$(INSTALL) -m 0644 $(OUTPUT)/v6trace.8.gz $(DESTDIR)$(MAN8DIR)/v6trace.8.gz
	$(Q)$(INSTALL) -m 0644 completion/v6trace.bash $(DESTDIR)$(BASHCOMPDIR)/v6trace
	$(Q)$(INSTALL) -m 0644 $(V6T_DOCS) $(DESTDIR)$(DOCDIR)/
	$(Q)$(INSTALL) -m 0644 $(OUTPUT)/$(V6T_UNIT) $(DESTDIR)$(SYSTEMDUNITDIR)/$(V6T_UNIT)

# Removes what install put there, and the directories only it uses; never a recording.
uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/v6trace $(DESTDIR)$(MAN8DIR)/v6trace.8.gz \
		$(DESTDIR)$(BASHCOMPDIR)/v6trace $(DESTDIR)$(SYSTEMDUNITDIR)/$(V6T_UNIT) \
		$(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(V6T_DOCS)))
	$(Q)rmdir --ignore-fail-on-non-empty $(DESTDIR)$(DOCDIR) 2>/dev/null || true

# The Debian package, built as Debian builds it (debian/rules, in its own build directory), with
# the .deb, .buildinfo and .changes moved from the parent directory, where dpkg-buildpackage
# must put them, into $(OUTPUT). -tc cleans debian/ afterwards (debian/v6trace, debhelper state).
DEB_SOURCE = $(shell dpkg-parsechangelog -S Source)
DEB_VERSION = $(shell dpkg-parsechangelog -S Version)
DEB_ARCH = $(shell dpkg-architecture -qDEB_HOST_ARCH)

deb:
	$(call msg,DEB,$(OUTPUT)/$(DEB_SOURCE)_$(DEB_VERSION)_$(DEB_ARCH).deb)
	$(Q)dpkg-buildpackage -us -uc -b -tc
	$(Q)mkdir -p $(OUTPUT)
	$(Q)for f in $(DEB_SOURCE)_$(DEB_VERSION)_$(DEB_ARCH).deb \
		$(DEB_SOURCE)-dbgsym_$(DEB_VERSION)_$(DEB_ARCH).deb \
		$(DEB_SOURCE)_$(DEB_VERSION)_$(DEB_ARCH).buildinfo \
		$(DEB_SOURCE)_$(DEB_VERSION)_$(DEB_ARCH).changes; do \
		if [ -e ../$$f ]; then mv -f ../$$f $(OUTPUT)/; fi; \
	done
	$(Q)ls -1 $(OUTPUT)/$(DEB_SOURCE)*_$(DEB_VERSION)_$(DEB_ARCH).*

.DEFAULT_GOAL := $(v6t_install_default_goal)

endif
