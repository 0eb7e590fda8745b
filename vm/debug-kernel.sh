#!/bin/bash
# Build the test VM's debug kernel (KASAN, lockdep, kmemleak, UBSAN, debugobjects,
# failslab) from Debian's linux-source-6.1 and install it where vm/run.sh finds a
# kernel, so that `vm/run.sh --kernel debug` boots it.
#
#   vm/debug-kernel.sh
#
# Prints exactly "KVER=..." and "KDIR=..." on stdout (for eval), like vm/kernel.sh;
# KDIR is the build's output tree, which `make -C KDIR M=dir` builds modules against.
# Config: tinyconfig + kernel/configs/kvm_guest.config + vm/debug.config;
# ccache (.cache/ccache) makes rebuilds fast. Measured here (2 cores): cold (fresh
# clone, empty ccache) 1,037 s; a changed config with a warm ccache 293-332 s of make;
# a re-run after a code edit of this script 63 s (mostly tinyconfig + merge).
# Idempotent: rebuilds only when
# vm/debug.config, this script's code (not its comments) or the source package
# changed; otherwise it returns in about a second. Takes no lock: on a shared
# machine, run it under `flock /var/tmp/wfqmon-vm.lock` so that no test VM is
# slowed down by the build (vm/run.sh calls it before taking that lock).
set -euo pipefail

vmdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=${vmdir%/vm}
cache=$project/.cache
work=$cache/debug-kernel
src=$work/src
build=$work/build
fragment=$vmdir/debug.config
tarball=/usr/src/linux-source-6.1.tar.xz

log() { echo "debug-kernel.sh: $*" >&2; }

"$vmdir/deps.sh"
[ -r "$tarball" ] || { log "$tarball missing (package linux-source-6.1)"; exit 1; }

# The build's inputs: any change here means a rebuild.
source_id="$(dpkg-query -W -f='${Version}' linux-source-6.1) $(stat -c '%s %Y' "$tarball")"
want=$({
	echo "$source_id"
	sha256sum "$fragment" | cut -d' ' -f1
	grep -v '^[[:space:]]*#' "${BASH_SOURCE[0]}" | sha256sum | cut -d' ' -f1
} | sha256sum | cut -d' ' -f1)

kdir=$build
print_vars() {
	printf 'KVER=%q\n' "$1"
	printf 'KDIR=%q\n' "$kdir"
}

stamp=$work/.built
if [ -s "$stamp" ]; then
	read -r have kver <"$stamp"
	if [ "$have" = "$want" ] && [ -e "$cache/kernels/$kver/.complete" ]; then
		print_vars "$kver"
		exit 0
	fi
fi
rm -f "$stamp"

# Unpack the source once per source package version.
if [ "$(cat "$work/.unpacked" 2>/dev/null)" != "$source_id" ]; then
	log "unpacking $tarball"
	rm -rf "$src" "$build" "$work/.unpacked"
	mkdir -p "$src"
	tar -xJf "$tarball" -C "$src" --strip-components=1
	echo "$source_id" >"$work/.unpacked"
fi

export CCACHE_DIR=$cache/ccache
# Fixed build identity: init/version.c then stays a ccache hit too.
export KBUILD_BUILD_USER=wfqmon KBUILD_BUILD_HOST=debug-kernel
# A date (the build's scripts parse it with date -d): the tarball's mtime.
KBUILD_BUILD_TIMESTAMP=$(date -u -d "@$(stat -c %Y "$tarball")")
export KBUILD_BUILD_TIMESTAMP
kmake() {
	make -s -C "$src" O="$build" ARCH=x86_64 CC="ccache gcc" HOSTCC="ccache gcc" "$@"
}

log "configuring (tinyconfig + kvm_guest.config + ${fragment#"$project"/})"
mkdir -p "$build"
if ! {
	kmake tinyconfig &&
		(cd "$src" && scripts/kconfig/merge_config.sh -m -O "$build" "$build/.config" \
			kernel/configs/kvm_guest.config "$fragment") &&
		kmake olddefconfig
} >"$work/config.log" 2>&1; then
	cat "$work/config.log" >&2
	log "configuring failed"
	exit 1
fi

# Kconfig drops silently what a dependency rules out: insist on every line we asked for.
missing=0
while read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF -- "$line" "$build/.config" && continue ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		grep -q "^$opt=" "$build/.config" || continue ;;
	*) continue ;;
	esac
	log "not in the resulting .config: $line"
	missing=1
done <"$fragment"
[ "$missing" -eq 0 ] || { log "fix ${fragment#"$project"/} (a dependency is missing)"; exit 1; }

jobs=$(nproc)
log "building with $jobs jobs (log: $work/build.log)"
start=$SECONDS
if ! kmake -j"$jobs" bzImage modules >"$work/build.log" 2>&1; then
	tail -n 40 "$work/build.log" >&2
	log "build failed; full log: $work/build.log"
	exit 1
fi
# Only now is CONFIG_LOCALVERSION part of the release string.
kver=$(kmake kernelrelease)
log "built $kver in $((SECONDS - start)) s"

# Install like vm/kernel.sh unpacks a Debian kernel: .cache/kernels/<KVER>/ with
# root/boot/vmlinuz-<KVER>, root/lib/modules/<KVER> and the extra kernel arguments
# vm/run.sh appends. No vmlinux there: vm/run.sh would boot it through its PVH
# entry, whose C part (xen_prepare_pvh) is KASAN-instrumented and runs before the
# shadow memory exists, so the guest triple-faults with no output; the bzImage's
# decompressor enters at startup_64, which sets KASAN up first.
dest=$cache/kernels/$kver
rm -rf "$dest"
mkdir -p "$dest/root/boot"
kmake INSTALL_MOD_PATH="$dest/root" modules_install >&2
ln -sfn "$build" "$dest/root/lib/modules/$kver/build"
cp "$build/.config" "$dest/root/boot/config-$kver"
cp "$build/System.map" "$dest/root/boot/System.map-$kver"
cp "$build/arch/x86/boot/bzImage" "$dest/root/boot/vmlinuz-$kver"
# ACPI's interrupt set-up under KASAN and lockdep in TCG takes 35-57 s and
# trips the RCU stall detector; the VM needs no ACPI interrupts.
echo "acpi=noirq" >"$dest/cmdline"
touch "$dest/.complete"

echo "$want $kver" >"$stamp"
print_vars "$kver"
