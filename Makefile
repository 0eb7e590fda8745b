# SPDX-License-Identifier: GPL-2.0
# wfqmon: `make help` lists what you can do from here.
#
# The module is built out of tree against kernel headers: on a real
# machine those of the running kernel (make module), for the test VM
# Debian's 6.1 and 6.12 packages unpacked into .cache/ (make modules).

KERNELS ?= 6.1 6.12
KDIR ?= /lib/modules/$(shell uname -r)/build

.PHONY: help all module modules selftests check vmtest lint checkpatch vm demo bench clean distclean

help:
	@echo 'wfqmon targets:'
	@echo '  make module        build kmod/wfqmon.ko for the running kernel (KDIR=...)'
	@echo '  make modules       build it for the test VM kernels ($(KERNELS))'
	@echo '  make check         the test command: lint, builds, selftests in the VM'
	@echo '  make vmtest        selftests in the VM only (KERNELS="6.1" to pick)'
	@echo '  make checkpatch    checkpatch.pl --strict on kmod/ and uapi/'
	@echo '  make vm            a root shell in the test VM (KERNEL=6.1|6.12)'
	@echo '  make demo          weights 1:2:3 in the VM: wfqtool report, build/demo/demo.svg'
	@echo '  make bench         overhead, read path, memory, accuracy in the VM ($(KERNELS))'
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
	scripts/check.sh $(KERNELS)

vmtest: check

checkpatch lint:
	scripts/checkpatch.sh

KERNEL ?= 6.1
vm: modules selftests
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

# Results: build/bench/results-<KVER>.json and slowdown.svg (see
# Documentation/performance.rst). ROUNDS=5 by default.
bench:
	KERNELS="$(KERNELS)" bench/run.sh

clean:
	rm -rf build
	-$(MAKE) -s -C selftests clean

distclean: clean
	rm -rf .cache
