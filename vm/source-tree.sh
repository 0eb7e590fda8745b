#!/bin/bash
# Prepare a kernel tree to compile wfqmon.ko against, from Debian's
# linux-source-X.Y of another suite (vm/other-suites.sh fetches it).
#
#   vm/source-tree.sh X.Y|newest                   x86_64_defconfig tree
#   vm/source-tree.sh X.Y|newest CONFIG KVER       a booted kernel's config and release
#
# The source is unpacked once into .cache/source-trees/linux-source-X.Y/;
# each configuration is prepared out of tree (make O=) in
# .cache/source-trees/X.Y-defconfig/ or .cache/source-trees/KVER/:
# the config, the options the module needs, `make modules_prepare`.
# With CONFIG and KVER the tree's release string is KVER, so a module
# built there loads into that kernel (it must have CONFIG_MODVERSIONS off).
# Prints exactly "KVER=..." and "KDIR=..." (for eval), like vm/kernel.sh.
# Idempotent; needs no network once prepared.
set -euo pipefail

usage() { sed -n '5,6s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
[ $# -eq 1 ] || [ $# -eq 3 ] || usage
series=$1 config=${2:-} release=${3:-}

vmdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${vmdir%/vm}/.cache/source-trees
mkdir -p "$cache"
log() { echo "source-tree.sh: $*" >&2; }

if [ "$series" = newest ]; then
	series=$("$vmdir/other-suites.sh" newest-source)
	[ -n "$series" ] || { log "no suite has a linux-source-X.Y"; exit 1; }
fi
case $series in [0-9]*.[0-9]*) ;; *) usage ;; esac

if [ -n "$config" ]; then
	[ -r "$config" ] || { log "$config: cannot read"; exit 1; }
	grep -qx 'CONFIG_MODVERSIONS=y' "$config" &&
		log "warning: $config has CONFIG_MODVERSIONS: a module built here may not load"
	kdir=$cache/$release
else
	kdir=$cache/$series-defconfig
fi

exec 9>"$cache/.lock" # concurrent runs prepare one tree once
flock 9

src=$cache/linux-source-$series
if [ ! -e "$src/.complete" ]; then
	deb=$("$vmdir/other-suites.sh" download "linux-source-$series")
	log "unpacking ${deb##*/}"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO --wildcards "./usr/src/linux-source-$series.tar.*" |
		tar -xJ -C "$src.tmp" --strip-components=1
	mv "$src.tmp" "$src"
	touch "$src/.complete"
fi

# What the module needs, on top of x86_64_defconfig.
module_options() {
	"$src/scripts/config" --file "$kdir/.config" \
		-e MODULES -e MODULE_UNLOAD -e CGROUPS -e CGROUP_SCHED -e FAIR_GROUP_SCHED \
		-e TRACEPOINTS -e FTRACE -e HIGH_RES_TIMERS -e SCHED_INFO -e SCHEDSTATS
}

# A booted kernel's config stays as it is (an option less can move a
# field of task_struct or struct module), but for its certificates,
# which only vmlinux embeds and which are not here.
booted_config() {
	cp "$config" "$kdir/.config"
	"$src/scripts/config" --file "$kdir/.config" \
		--set-str SYSTEM_TRUSTED_KEYS '' --set-str SYSTEM_REVOCATION_KEYS ''
}

# Options olddefconfig dropped because this machine's tools lack them
# (Rust, newer compiler features): said, since they could change a layout.
report_dropped() {
	local dropped
	dropped=$(comm -23 <(grep '^CONFIG_.*=y' "$config" | sort) \
		<(grep '^CONFIG_.*=y' "$kdir/.config" | sort) | grep -v -e '^CONFIG_CC_' -e '^CONFIG_RUST' || true)
	[ -z "$dropped" ] || log "options of $config this tree lacks: ${dropped//$'\n'/ }"
}

if [ ! -e "$kdir/.complete" ]; then
	log "preparing $kdir"
	rm -rf "$kdir"
	mkdir -p "$kdir"
	if [ -n "$config" ]; then
		booted_config
		# The release string must be the booted kernel's: X.Y.Z plus this.
		version=$(make -s -C "$src" kernelversion)
		localversion=${release#"$version"}
		[ "$localversion" != "$release" ] ||
			{ log "$release does not start with $version"; exit 1; }
		"$src/scripts/config" --file "$kdir/.config" --set-str LOCALVERSION "$localversion" \
			-d LOCALVERSION_AUTO
	else
		make -s -C "$src" O="$kdir" x86_64_defconfig >&2
		module_options
	fi
	make -s -C "$src" O="$kdir" olddefconfig >&2
	[ -z "$config" ] || report_dropped
	make -s -C "$src" O="$kdir" -j"$(nproc)" modules_prepare >&2
	if [ -n "$config" ]; then
		got=$(make -s -C "$src" O="$kdir" kernelrelease)
		[ "$got" = "$release" ] || { log "prepared release $got, want $release"; exit 1; }
	fi
	touch "$kdir/.complete"
fi

printf 'KVER=%q\n' "${release:-$series-defconfig}"
printf 'KDIR=%q\n' "$kdir"
