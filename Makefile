# SPDX-License-Identifier: GPL-2.0
# wfqmon: `make help` lists what you can do from here.
#
# The module is built out of tree against kernel headers: on a real
# machine those of the running kernel (make module), for the test VM
# Debian's 6.1 and 6.12 packages unpacked into .cache/ (make modules).

KERNELS ?= 6.1 6.12
# make check also runs the suite on these: PREEMPT_RT, and the KASAN/lockdep/
# kmemleak kernel built from source (vm/debug-kernel.sh). CHECK_EXTRA= skips them.
# And on the newest kernel of any Debian suite (trixie-backports, sid).
CHECK_EXTRA ?= 6.12-rt debug newest
# Compile only (W=1, sparse), against Debian's linux-source-X.Y of other
# suites with x86_64_defconfig: the oldest and the newest series.
COMPILE_KERNELS ?= 5.10 newest
# The kernel make module and make install build for: the running one.
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
VERSION := $(shell cat VERSION)

# make install: wfqtool is an administrator's command (it needs CAP_NET_ADMIN
# and writes /sys/fs/cgroup; its manual is in section 8), so sbin.
# modprobe reads its files from /etc whatever the PREFIX.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSCONFDIR ?= /etc
MODDIR ?= /lib/modules/$(KVER)/updates
DKMSDIR ?= /usr/src/wfqmon-$(VERSION)
# Where wfqtool is built; debian/rules builds it apart.
WFQTOOL_BUILD ?= $(CURDIR)/build/tools
export WFQTOOL_BUILD
# Units other parts of the project ship; installed, never enabled here.
UNITS := $(wildcard contrib/systemd/*.service)
CONFIGS := modprobe.d/wfqmon.conf modules-load.d/wfqmon.conf

.PHONY: help all module modules selftests check vmtest vmtest-debug lint checkpatch vm demo demo-containers bench \
	lab labs-check docs docs-instructor clean distclean install install-module install-tools install-config \
	uninstall dkms-install dkms-source dkms-uninstall deb pkgtest

help:
	@echo 'wfqmon targets:'
	@echo '  make module        build kmod/wfqmon.ko for the running kernel (KDIR=...)'
	@echo '  make modules       build it for the test VM kernels ($(KERNELS))'
	@echo '  make check         the test command: lint, builds, selftests in the VM'
	@echo '                     (KERNELS="$(KERNELS)" CHECK_EXTRA="$(CHECK_EXTRA)" COMPILE_KERNELS="$(COMPILE_KERNELS)")'
	@echo '  make vmtest        selftests in the VM only (KERNELS="6.1" to pick)'
	@echo '  make vmtest-debug  selftests and kmemleak on a KASAN/lockdep kernel (vm/debug-kernel.sh)'
	@echo '  make checkpatch    checkpatch.pl --strict on kmod/ and uapi/'
	@echo '  make vm            a root shell in the VM: wfqmon.ko loaded, wfqtool on PATH (KERNEL=6.1|6.12|newest)'
	@echo '  make demo          weights 1:2:3 in the VM: wfqtool report, build/demo/demo.svg'
	@echo '  make demo-containers  Podman and LXC containers in the VM, watched: wfqtool report,'
	@echo '                     build/demo-containers/containers.svg'
	@echo '  make lab N=1..8    lab N of Documentation/labs in the VM: table, build/labs/*.svg'
	@echo '                     (or make lab N, make lab-N; LAB_KERNELS="6.1 6.12" overrides its kernels)'
	@echo '  make labs-check    every lab with its qualitative checks (CI)'
	@echo '  make docs          the HTML documentation (sphinx-build -W) in build/docs'
	@echo '  make docs-instructor  answer keys of the labs (instructors) in build/docs-instructor'
	@echo '  make bench         overhead, read path, memory, accuracy in the VM ($(KERNELS))'
	@echo '  make install       wfqmon.ko into /lib/modules/KVER/updates (depmod), wfqtool into'
	@echo '                     PREFIX/sbin with its manual and bash completion, examples in /etc'
	@echo '                     (DESTDIR, PREFIX=/usr/local, KVER=$$(uname -r), KDIR)'
	@echo '  make uninstall     remove what make install installed (edited /etc files stay)'
	@echo '  make dkms-install  the module source into /usr/src/wfqmon-$(VERSION) and dkms install'
	@echo '                     (rebuilt for each new kernel); make dkms-uninstall undoes it'
	@echo '  make deb           Debian packages wfqmon-dkms and wfqtool into build/deb/'
	@echo '  make pkgtest       install the .debs in the VM, DKMS build, smoke test, purge (KERNEL=)'
	@echo '  make clean         remove build outputs (keeps downloaded kernels)'
	@echo '  make distclean     also remove .cache/ (downloads, unpacked kernels)'

all: module

module:
	scripts/build-module.sh $(KDIR) build/local

modules:
	@set -e; for k in $(KERNELS); do \
		eval "$$(vm/kernel.sh $$k)"; \
		scripts/build-module.sh "$$KDIR" "build/$$KVER" C=2; \
	done

selftests:
	$(MAKE) -C selftests

check:
	WFQ_KERNELS="$(strip $(KERNELS) $(CHECK_EXTRA))" WFQ_COMPILE_KERNELS="$(COMPILE_KERNELS)" \
		scripts/check.sh

vmtest: check

# Builds the debug kernel first (minutes; then cached, see vm/debug-kernel.sh).
vmtest-debug:
	WFQ_COMPILE_KERNELS= scripts/check.sh debug

checkpatch lint:
	scripts/checkpatch.sh

# A root shell in the VM with wfqmon.ko loaded and wfqtool on PATH
# (vm/guest-shell.rc); exiting it powers the VM off.
KERNEL ?= 6.1
vm:
	@set -e; eval "$$(vm/kernel.sh $(KERNEL))"; \
		scripts/build-module.sh "$$KDIR" "build/$$KVER" C=2
	$(MAKE) -s -C tools
	vm/run.sh --kernel $(KERNEL) --interactive

# The README's first command: installs, builds, boots the test VM with the
# module loaded, runs three CPU hogs in groups of weights 1, 2 and 3, prints
# wfqtool report and plots shares and vtime into build/demo/demo.svg.
demo:
	vm/deps.sh
	$(MAKE) modules KERNELS=$(KERNEL)
	$(MAKE) -C tools
	@mkdir -p build/demo
	@eval "$$(vm/kernel.sh $(KERNEL))" && \
		vm/run.sh --kernel $(KERNEL) --out build/demo -- \
			demo/run.sh "build/$$KVER/kmod/wfqmon.ko"

# The same on real containers: Podman (db, batch) and LXC (web) in the VM,
# watched by wfqtool watch; batch's weight raised with podman update half
# way. wfqtool report and build/demo-containers/containers.svg.
demo-containers:
	vm/deps.sh
	$(MAKE) modules KERNELS=$(KERNEL)
	$(MAKE) -C tools
	@mkdir -p build/demo-containers
	@eval "$$(vm/kernel.sh $(KERNEL))" && \
		vm/run.sh --kernel $(KERNEL) --out build/demo-containers -- \
			demo/containers.sh "build/$$KVER/kmod/wfqmon.ko"

# Results: build/bench/results-<KVER>.json and slowdown.svg (see
# Documentation/performance.rst). ROUNDS=5 by default.
bench:
	KERNELS="$(KERNELS)" bench/run.sh

# Labs for kernel courses (Documentation/labs/): labs/lab.sh boots the VM
# on the lab's kernels, prints its table and writes build/labs/labN-*.svg.
LAB_ARGS = $(foreach k,$(LAB_KERNELS),--kernel $(k))
# `make lab 3` too: with the goal lab, a lab's number given as a goal is N.
ifneq ($(filter lab,$(MAKECMDGOALS)),)
LAB_NUMBERS := $(foreach d,$(wildcard labs/lab[0-9]*-*),$(firstword $(subst -, ,$(patsubst labs/lab%,%,$(d)))))
LAB_GOAL := $(filter $(LAB_NUMBERS),$(MAKECMDGOALS))
ifneq ($(LAB_GOAL),)
N ?= $(firstword $(LAB_GOAL))
.PHONY: $(LAB_GOAL)
$(LAB_GOAL):
	@:
endif
endif
lab:
	@test -n "$(N)" || { echo 'usage: make lab N=1..8, make lab 1..8 or make lab-N' >&2; exit 2; }
	labs/lab.sh $(N) $(LAB_ARGS)

lab-%:
	labs/lab.sh $* $(LAB_ARGS)

# All labs, each with --check; runs every lab even after a failure.
labs-check:
	@failed=''; for d in labs/lab[0-9]*-*/; do \
		n=$${d#labs/lab}; n=$${n%%-*}; \
		labs/lab.sh $$n --check $(LAB_ARGS) || failed="$$failed $$n"; \
	done; \
	if [ -n "$$failed" ]; then echo "labs-check: failed:$$failed" >&2; exit 1; fi; \
	echo 'labs-check: all labs passed'

# Built afresh: pages of an older tree (answer keys once lived here) must not linger.
docs:
	rm -rf build/docs
	sphinx-build -W -q -b html Documentation build/docs
	@echo 'docs: build/docs/index.html'

# The answer keys, apart from the student book (Documentation/instructor/).
docs-instructor:
	sphinx-build -W -q -b html Documentation/instructor build/docs-instructor
	@echo 'docs-instructor: build/docs-instructor/index.html'

# make install: the module built by make module (against KDIR), wfqtool
# by make -C tools.
install: install-module install-tools install-config

install-module: module
	install -D -m 0644 build/local/kmod/wfqmon.ko $(DESTDIR)$(MODDIR)/wfqmon.ko
	$(if $(DESTDIR),,depmod -a $(KVER))

install-tools:
	$(MAKE) -C tools
	install -D -m 0755 $(WFQTOOL_BUILD)/wfqtool $(DESTDIR)$(SBINDIR)/wfqtool
	install -D -m 0644 tools/wfqtool.8 $(DESTDIR)$(MANDIR)/man8/wfqtool.8
	install -D -m 0644 tools/wfqtool.bash $(DESTDIR)$(BASHCOMPDIR)/wfqtool
	for u in $(UNITS); do \
		install -D -m 0644 $$u $(DESTDIR)$(SYSTEMDUNITDIR)/$${u##*/} || exit; \
	done

# Commented-out examples: a file already there (the user's) is kept.
install-config:
	for c in $(CONFIGS); do \
		test -e $(DESTDIR)$(SYSCONFDIR)/$$c || \
		install -D -m 0644 contrib/$$c $(DESTDIR)$(SYSCONFDIR)/$$c || exit; \
	done

uninstall:
	rm -f $(DESTDIR)$(MODDIR)/wfqmon.ko $(DESTDIR)$(SBINDIR)/wfqtool \
		$(DESTDIR)$(MANDIR)/man8/wfqtool.8 $(DESTDIR)$(BASHCOMPDIR)/wfqtool \
		$(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(UNITS)))
	for c in $(CONFIGS); do \
		! cmp -s contrib/$$c $(DESTDIR)$(SYSCONFDIR)/$$c || \
		rm -f $(DESTDIR)$(SYSCONFDIR)/$$c || exit; \
	done
	$(if $(DESTDIR),,depmod -a $(KVER))

# DKMS: the source set (Kbuild, kmod/, uapi/) and dkms.conf in DKMSDIR.
dkms-source:
	install -d $(DESTDIR)$(DKMSDIR)/kmod $(DESTDIR)$(DKMSDIR)/uapi/linux
	install -m 0644 Kbuild $(DESTDIR)$(DKMSDIR)/
	install -m 0644 kmod/Kbuild kmod/*.[ch] $(DESTDIR)$(DKMSDIR)/kmod/
	install -m 0644 uapi/linux/wfqmon.h $(DESTDIR)$(DKMSDIR)/uapi/linux/
	sed 's/#MODULE_VERSION#/$(VERSION)/g' dkms.conf >$(DESTDIR)$(DKMSDIR)/dkms.conf

dkms-install: dkms-source
	dkms add wfqmon/$(VERSION)
	dkms install wfqmon/$(VERSION)

dkms-uninstall:
	-dkms remove wfqmon/$(VERSION) --all
	rm -rf $(DKMSDIR)

# The .debs, .buildinfo and .changes land in build/deb/, not in ../.
deb:
	scripts/deb.sh build/deb

# The packages installed as a user would in the test VM (DKMS builds the
# module there), smoke-tested and purged: selftests/pkg_test.sh.
pkgtest: deb
	vm/run.sh --kernel $(KERNEL) --timeout 1200 -- selftests/pkg_test.sh build/deb

clean:
	rm -rf build
	-$(MAKE) -s -C selftests clean

distclean: clean
	rm -rf .cache
