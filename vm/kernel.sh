#!/bin/bash
# Fetch and unpack a Debian kernel (image, modules, headers, kbuild) for the test VM.
#
#   vm/kernel.sh SERIES|KVER     SERIES: 6.1, 6.12, 6.1-rt, 6.12-rt, debug, newest
#
# "debug" is no Debian package: vm/debug-kernel.sh builds it (KASAN, lockdep, ...)
# from Debian's linux-source-6.1 and installs it in the same layout.
# "newest" is the newest linux-image-amd64 of the other Debian suites
# (vm/other-suites.sh: trixie-backports, sid, ...). Its headers need a newer
# glibc than this machine's, so KDIR is a tree vm/source-tree.sh prepares from
# its linux-source-X.Y with the image's config and release string.
# Prints exactly "KVER=..." and "KDIR=..." on stdout (for eval); all else on stderr.
# Result: .cache/kernels/<KVER>/root/ with boot/vmlinuz-<KVER>, lib/modules/<KVER>
# (depmod'ed) and usr/src/linux-headers-<KVER> usable with `make -C KDIR M=dir`.
# Idempotent; needs no network once the kernel is unpacked.
set -euo pipefail

usage() { echo "usage: $0 6.1|6.12|6.1-rt|6.12-rt|debug|newest|KVER" >&2; exit 2; }
[ $# -eq 1 ] || usage
want=$1
vmdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ "$want" = debug ] && exec "$vmdir/debug-kernel.sh"

project=${vmdir%/vm}
cache=$project/.cache
mkdir -p "$cache/debs" "$cache/kernels"

log() { echo "kernel.sh: $*" >&2; }

# Debian's meta-packages point at the newest kernel of each series.
case $want in
6.1) meta=linux-image-amd64 pattern='6.1.0-*-amd64' ;;
6.1-rt) meta=linux-image-rt-amd64 pattern='6.1.0-*-rt-amd64' ;;
6.12) meta=linux-image-6.12-amd64 pattern='6.12.*+deb12-amd64' ;;
6.12-rt) meta=linux-image-6.12-rt-amd64 pattern='6.12.*+deb12-rt-amd64' ;;
newest) meta=linux-image-amd64 pattern='' ;;
[0-9]*.*-*) meta='' pattern=$want ;;
*) usage ;;
esac

# KVER of the image a meta-package depends on; empty if apt does not know it.
resolve() {
	if [ "$want" = newest ]; then
		"$vmdir/other-suites.sh" depends "$meta=$("$vmdir/other-suites.sh" version "$meta")" |
			sed -n 's/^linux-image-\([0-9].*\)$/\1/p' | head -n1
		return
	fi
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: linux-image-\([0-9][^ ]*\)$/\1/p' | grep -v -- -unsigned | sort -V | tail -n1 || true
}

# Newest unpacked kernel matching the series: the offline fallback.
newest_cached() {
	local d best=''
	for d in "$cache"/kernels/$pattern/root; do
		[ -d "$d" ] || continue
		d=${d%/root}
		best=$(printf '%s\n%s\n' "$best" "${d##*/}" | sed '/^$/d' | sort -V | tail -n1)
	done
	# "6.1.0-*-amd64" also matches rt/cloud flavours: keep what the series means.
	case $want in 6.1) [[ $best == *-rt-amd64 || $best == *-cloud-amd64 ]] && best='' ;; esac
	echo "$best"
}

# apt-cache re-reads every package list per call here (~1 s: this machine's apt keeps
# no pkgcache.bin), so remember the answer until the lists change.
memo=$cache/kernels/.series-$want
lists_changed() {
	local lists=/var/lib/apt/lists
	[ "$want" = newest ] && lists=$cache/other-suites/lists
	[ -n "$(find "$lists" -maxdepth 1 -name '*Packages*' -newer "$memo" -print -quit)" ]
}

if [ -z "$meta" ]; then
	kver=$want
elif [ -s "$memo" ] && ! lists_changed; then
	kver=$(<"$memo")
else
	kver=$(resolve)
	if [ -n "$kver" ]; then
		echo "$kver" >"$memo"
	else
		[ -n "$pattern" ] && kver=$(newest_cached)
		if [ -z "$kver" ] && [ "$want" != newest ]; then
			# apt-cache knows nothing before the first `apt-get update`.
			log "apt does not know $meta; running apt-get update"
			apt-get update -qq >&2 || true
			kver=$(resolve)
		fi
	fi
	[ -n "$kver" ] || { log "cannot resolve series $want"; exit 1; }
fi

# A kernel of another suite records the tree vm/source-tree.sh prepared for it.
kdir_of() {
	if [ -s "$cache/kernels/$1/kdir" ]; then
		cat "$cache/kernels/$1/kdir"
	else
		echo "$cache/kernels/$1/root/usr/src/linux-headers-$1"
	fi
}
kroot=$cache/kernels/$kver/root
kdir=$(kdir_of "$kver")

vmlinux=$cache/kernels/$kver/vmlinux
if [ ! -e "$cache/kernels/$kver/.complete" ] || [ ! -e "$vmlinux" ]; then
	# Serialise concurrent fetches (the lead and helpers may start VMs at once).
	exec 9>"$cache/kernels/.fetch.lock"
	flock 9
fi

# Unpack DEBS into $tmp, a scratch dir the caller renames to $kroot, so
# a killed run leaves no half tree.
unpack() {	# unpack DEB...
	local deb
	tmp=$cache/kernels/$kver/root.tmp
	rm -rf "$tmp" "$kroot"
	mkdir -p "$tmp"
	for deb in "$@"; do
		log "unpacking ${deb##*/}"
		dpkg-deb -x "$deb" "$tmp"
	done
}

# Another suite's image: the meta-package of KVER depends on its
# linux-base-, linux-binary- and linux-modules-KVER; no headers.
if [ "$want" = newest ] && [ ! -e "$cache/kernels/$kver/.complete" ]; then
	log "fetching $kver from other suites"
	mapfile -t pkgs < <("$vmdir/other-suites.sh" depends "linux-image-$kver" | grep -- "-$kver\$")
	mapfile -t debs < <("$vmdir/other-suites.sh" download "linux-image-$kver" "${pkgs[@]}")
	unpack "${debs[@]}"
	# Merged /usr: kernel and config live in /usr/lib/modules/KVER/.
	# Give them the paths of Debian 12's packages, which the rest expects.
	[ -e "$tmp/lib" ] || ln -s usr/lib "$tmp/lib"
	mkdir -p "$tmp/boot"
	for f in vmlinuz config System.map; do
		if [ -e "$tmp/usr/lib/modules/$kver/$f" ]; then
			ln -sfn "../usr/lib/modules/$kver/$f" "$tmp/boot/$f-$kver"
		fi
	done
	[ -e "$tmp/boot/vmlinuz-$kver" ] || { log "no vmlinuz in the packages of $kver"; exit 1; }
	mv "$tmp" "$kroot"
	depmod -b "$kroot" "$kver"
	[[ $kver =~ ^[0-9]+\.[0-9]+ ]] || { log "$kver: no X.Y series"; exit 1; }
	eval "$("$vmdir/source-tree.sh" "${BASH_REMATCH[0]}" "$kroot/boot/config-$kver" "$kver")"
	# The headers' binaries do not run here, but their symbol list lets
	# modpost check every symbol the module uses against this kernel.
	headers=$("$vmdir/other-suites.sh" download "linux-headers-$kver")
	# shellcheck disable=SC2153 # set by the eval above
	tree=$KDIR
	dpkg-deb --fsys-tarfile "$headers" |
		tar -xO "./usr/src/linux-headers-$kver/Module.symvers" >"$tree/Module.symvers"
	echo "$tree" >"$cache/kernels/$kver/kdir"
	ln -sfn "$tree" "$kroot/lib/modules/$kver/build"
	touch "$cache/kernels/$kver/.complete"
fi
kdir=$(kdir_of "$kver")

if [ ! -e "$cache/kernels/$kver/.complete" ]; then
	log "fetching $kver"
	headers=linux-headers-$kver
	# The headers name their -common(-rt) and linux-kbuild-* siblings.
	mapfile -t siblings < <(apt-cache depends "$headers" |
		sed -n 's/^ *Depends: \(linux-headers-[^ ]*-common\(-rt\)\?\|linux-kbuild-[^ ]*\)$/\1/p')
	[ ${#siblings[@]} -eq 2 ] || { log "unexpected dependencies of $headers: ${siblings[*]}"; exit 1; }

	debs=()
	for pkg in "linux-image-$kver" "$headers" "${siblings[@]}"; do
		ver=$(apt-cache show --no-all-versions "$pkg" | sed -n 's/^Version: //p' | head -n1)
		[ -n "$ver" ] || { log "no candidate for $pkg"; exit 1; }
		# apt-get download names files pkg_version_arch.deb, ':' escaped.
		deb=$(compgen -G "$cache/debs/${pkg}_${ver//:/%3a}_*.deb" | head -n1) || true
		if [ -z "$deb" ]; then
			# Download as root without the _apt sandbox: the cache dir is root's.
			(cd "$cache/debs" && apt-get download -qq -o APT::Sandbox::User=root "$pkg=$ver" >&2)
			deb=$(compgen -G "$cache/debs/${pkg}_${ver//:/%3a}_*.deb" | head -n1)
		fi
		debs+=("$deb")
	done

	unpack "${debs[@]}"

	# The headers Makefile includes the -common tree by absolute path.
	sed -i "1s|^include /usr/src/|include $kroot/usr/src/|" "$tmp/usr/src/linux-headers-$kver/Makefile"
	# Let /lib/modules/KVER/build work inside the guest, which sees the host tree.
	ln -sfn "$(kdir_of "$kver")" "$tmp/lib/modules/$kver/build"
	mv "$tmp" "$kroot"
	# Debian generates modules.dep in postinst; the guest's modprobe needs it.
	depmod -b "$kroot" "$kver"
	touch "$cache/kernels/$kver/.complete"
fi

# QEMU boots the uncompressed ELF through its PVH entry: that skips the BIOS
# loader and the in-guest xz/zstd decompression, 2-3 s of a TCG boot. Not with
# KASAN (the debug kernel): the PVH entry's C code is instrumented and runs before
# KASAN's shadow exists, so the guest triple-faults without a line of output.
config=$kroot/boot/config-$kver
if [ ! -e "$vmlinux" ] && grep -qx CONFIG_PVH=y "$config" && ! grep -qx CONFIG_KASAN=y "$config"; then
	bzimage=$kroot/boot/vmlinuz-$kver
	for codec in '\xfd7zXZ\x00:xz -dc --single-stream' '\x28\xb5\x2f\xfd:zstd -dc' '\x1f\x8b\x08:gzip -dc'; do
		# Try each offset of the codec's magic until one decompresses to an ELF.
		while read -r offset; do
			# shellcheck disable=SC2086 # the command is two words on purpose
			tail -c "+$((offset + 1))" "$bzimage" | ${codec#*:} >"$vmlinux.tmp" 2>/dev/null || true
			if [ "$(head -c 4 "$vmlinux.tmp")" = $'\x7fELF' ]; then
				mv "$vmlinux.tmp" "$vmlinux"
				break 2
			fi
		done < <(LC_ALL=C grep -obUaP "${codec%%:*}" "$bzimage" | cut -d: -f1)
	done
	rm -f "$vmlinux.tmp"
	[ -e "$vmlinux" ] || log "cannot extract vmlinux from $bzimage; booting the bzImage"
fi

printf 'KVER=%q\n' "$kver"
printf 'KDIR=%q\n' "$kdir"
