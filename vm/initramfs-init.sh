#!/bin/sh
# /init of the test VM's initramfs (busybox sh). Builds the guest's root: the host's
# root over virtio-9p (read-only) under a tmpfs overlay, fresh pseudo filesystems,
# the unpacked kernel's modules at /lib/modules, the writable out share; then hands
# over to vm/guest-init.sh. All set-up is done here because busybox is static and in
# RAM: every exec of a host binary over 9p costs a lot under TCG.
# Kernel command line: wfq.project=DIR wfq.out=DIR wfq.mode=run|interactive.
export PATH=/bin

fail() {
	echo "initramfs: $*" >/dev/console
	# Power off at once so the host sees "no status" instead of waiting for a timeout.
	echo o >/proc/sysrq-trigger
	while :; do sleep 1; done
}

mkdir -p /proc /sys /dev /lower /rw /newroot
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

project='' out='' mode=run
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case $arg in
	wfq.project=*) project=${arg#*=} ;;
	wfq.out=*) out=${arg#*=} ;;
	wfq.mode=*) mode=${arg#*=} ;;
	esac
done
if [ -z "$project" ] || [ -z "$out" ]; then
	fail "no wfq.project= or wfq.out= on the kernel command line"
fi
kver=$(uname -r)

# Ordered by initramfs.sh from modprobe --show-depends; none if all are built in.
while read -r ko; do
	insmod "/modules/$ko" || fail "insmod $ko failed"
done </modules/order

# cache=loose: the host root does not change under a test, and it is ~10x faster.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /lower ||
	fail "cannot mount the host root over 9p"
mount -t tmpfs -o mode=0755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot ||
	fail "cannot mount the overlay root"

# The host's /proc, /sys, /dev, /run and /tmp show through 9p: cover them all.
mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /newroot/dev/pts
mount -t tmpfs -o mode=1777 tmpfs /newroot/dev/shm
mount -t tmpfs -o mode=0755 tmpfs /newroot/run
mount -t tmpfs -o mode=1777 tmpfs /newroot/tmp
mount -t cgroup2 cgroup2 /newroot/sys/fs/cgroup
mount -t debugfs debugfs /newroot/sys/kernel/debug 2>/dev/null
mount -t tracefs tracefs /newroot/sys/kernel/tracing 2>/dev/null

# modprobe in the guest finds the unpacked kernel's modules where it expects them.
# chroot: symlinks on the way (a worktree's .cache, a merged-/usr kernel's lib)
# are absolute or relative to the host's root, not to this initramfs.
modules=$project/.cache/kernels/$kver/root/lib/modules/$kver
chroot /newroot test -d "$modules" || fail "no modules at $modules"
mkdir -p "/newroot/lib/modules/$kver"
chroot /newroot mount --bind "$modules" "/lib/modules/$kver" ||
	fail "cannot bind $modules"

# The out share sits at its host path, so paths in results mean the same on both
# sides (mkdir: an out dir under the host's /tmp is hidden by the fresh /tmp).
# No cache option: writes must reach the host before the power-off.
mkdir -p "/newroot$out"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 wfqout "/newroot$out" ||
	fail "cannot mount the out share at $out"

hostname wfqmon-vm
ip link set lo up
# hvc0 (virtio console) is the command's terminal, the host's stdin/stdout. Its port
# appears asynchronously after the driver loads (seconds on a busy host).
i=0
while [ ! -e /newroot/dev/hvc0 ]; do
	[ $i -lt 400 ] || fail "no /dev/hvc0 after 20 s"
	i=$((i + 1))
	sleep 0.05
done
# Opened here and inherited as fd 3 by guest-init.sh: hvc resets termios and window
# size whenever its last opener closes it.
exec 3<>/dev/hvc0
if [ "$mode" = interactive ]; then
	if [ -s "/newroot$out/vm-size" ] && read -r rows cols <"/newroot$out/vm-size"; then
		stty rows "$rows" cols "$cols" <&3
	fi
else
	# A plain byte stream for the host (no \n -> \r\n).
	stty raw -echo <&3
fi

[ -x "/newroot$project/vm/guest-init.sh" ] || fail "no $project/vm/guest-init.sh"
exec switch_root /newroot "$project/vm/guest-init.sh"
