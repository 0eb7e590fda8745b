#!/bin/bash
# Build .cache/kernels/<KVER>/initramfs.cpio.gz: static busybox, the modules that
# mount a 9p + overlay root and drive the virtio console (decompressed: busybox
# insmod cannot read .ko.xz; none for a kernel that has them built in, like the
# debug kernel), and vm/initramfs-init.sh as /init.
# Rebuilds only when an input is newer than the image.
#
#   vm/initramfs.sh KVER        (after vm/kernel.sh has unpacked KVER)
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 KVER" >&2; exit 2; }
kver=$1

vmdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
kcache=${vmdir%/vm}/.cache/kernels/$kver
kroot=$kcache/root
image=$kcache/initramfs.cpio.gz
init=$vmdir/initramfs-init.sh
busybox=/bin/busybox

[ -e "$kcache/.complete" ] || { echo "initramfs.sh: $kver is not unpacked; run vm/kernel.sh" >&2; exit 1; }

if [ -e "$image" ] && [ "$image" -nt "$init" ] && [ "$image" -nt "${BASH_SOURCE[0]}" ] &&
	[ "$image" -nt "$busybox" ] && [ "$image" -nt "$kcache/.complete" ]; then
	exit 0
fi

stage=$(mktemp -d "$kcache/initramfs.XXXXXX")
trap 'rm -rf "$stage" "$stage.cpio.gz"' EXIT
mkdir -p "$stage/bin" "$stage/modules"

cp "$busybox" "$stage/bin/busybox"
# --list names busybox itself: linking it would replace the binary by a loop.
for applet in $("$busybox" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$stage/bin/$applet"
done

# Dependency-ordered .ko list (built-in ones, e.g. virtio_pci on 6.12, are "builtin"
# lines). virtio_console: the command's terminal, far faster than a serial port.
# modprobe fails if one is neither a module nor built in.
deps=$(modprobe -d "$kroot" -S "$kver" -a --show-depends 9pnet_virtio 9p overlay virtio_pci virtio_console)
[ -n "$deps" ] || { echo "initramfs.sh: modprobe knows no modules of $kver" >&2; exit 1; }
: >"$stage/modules/order"
awk '$1 == "insmod" && !seen[$2]++ { print $2 }' <<<"$deps" |
	while read -r ko; do
		name=${ko##*/}
		case $name in
		*.ko.xz) xz -dc "$ko" >"$stage/modules/${name%.xz}" ;;
		*.ko.zst) zstd -qdc "$ko" >"$stage/modules/${name%.zst}" ;;
		*.ko.gz) gzip -dc "$ko" >"$stage/modules/${name%.gz}" ;;
		*) cp "$ko" "$stage/modules/$name" ;;
		esac
		echo "${name%.ko*}.ko" >>"$stage/modules/order"
	done

install -m 0755 "$init" "$stage/init"

(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
	gzip -1 >"$stage.cpio.gz"
mv "$stage.cpio.gz" "$image"
echo "initramfs.sh: built $image" >&2
