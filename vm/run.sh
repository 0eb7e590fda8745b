#!/bin/bash
# Run a command as root in a QEMU test VM booting one of Debian's own kernels.
#
#   vm/run.sh [--kernel 6.1|6.12|6.1-rt|6.12-rt|debug|KVER] [--timeout SEC] [--out DIR]
#             [--smp N] [--mem SIZE] [--icount | --one-thread] -- CMD [ARGS...]
#   vm/run.sh [--kernel ...] --interactive          (a root shell; exit powers off)
#
# Design. The host needs no kernel modules and no disk image: vm/kernel.sh unpacks
# the Debian kernel packages into .cache/kernels/<KVER>/, vm/initramfs.sh builds a
# busybox initramfs that loads 9p/virtio/overlay, mounts the host's whole root
# read-only over virtio-9p with a tmpfs overlay on top (the guest can write
# anywhere; nothing reaches the host), mounts fresh proc/sys/dev/run/tmp and cgroup2,
# binds the unpacked /lib/modules/<KVER>, and switch_roots into vm/guest-init.sh.
# So the guest has every host tool and sees the project (and /var/tmp) at the same
# paths as the host; CMD runs with cwd = project root.
# A second, writable 9p share (the out dir, default .cache/vm-out/<KVER>/, mounted at
# the same path in the guest, $WFQ_OUT) carries the command in (vm-cmd) and the exit
# status (vm-status) and the guest's dmesg out. CMD's stdout/stderr come back live on
# a virtio console (this script's stdout); the kernel console goes to
# $out/console.log. Afterwards dmesg is scanned for splats.
# --kernel debug boots the KASAN/lockdep/kmemleak kernel vm/debug-kernel.sh builds
# (its bzImage: /init starts after ~19 s of kernel boot, against ~4 s for Debian's
# 6.1; KASAN and lockdep slow every test, hence a longer default timeout).
# --icount runs the guest on an instruction-counting clock (QEMU -icount
# shift=0: one guest instruction is one guest nanosecond). Guest timings then
# count the instructions executed, which the host's own load cannot disturb:
# make bench uses it to compare costs. It implies --smp 1: Debian 12's QEMU
# (7.2) hangs bringing up a second vCPU under -icount.
# --one-thread emulates all vCPUs on one host thread (-accel tcg,thread=single).
# Multi-threaded TCG, the default, can run stale code after the kernel patches
# its own text under load (static keys and static calls, as when the last probe
# leaves a tracepoint): the guest then dies on an "int3" that is no longer
# there. Tests that patch kernel text while both vCPUs are busy (module
# unload/reload cycles) use it; see Documentation/reliability.rst.
# Only one VM at a time fits this 2-core machine: an exclusive flock on
# /var/tmp/wfqmon-vm.lock is held for the whole boot, so concurrent runs queue.
#
# Exit: CMD's status; 124 on timeout; 125 on a kernel splat or a failed boot.
set -euo pipefail

vmdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=${vmdir%/vm}
lock=/var/tmp/wfqmon-vm.lock

log() { echo "run.sh: $*" >&2; }
usage() {
	sed -n '4,5s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

kernel=6.1 timeout='' out='' smp=2 mem=2G mode=run icount='' one_thread=
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernel=${2:?}; shift 2 ;;
	--timeout) timeout=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--smp) smp=${2:?}; shift 2 ;;
	--mem) mem=${2:?}; shift 2 ;;
	--icount) icount=1; shift ;;
	--one-thread) one_thread=1; shift ;;
	--interactive) mode=interactive; shift ;;
	--) shift; break ;;
	*) usage ;;
	esac
done
if [ "$mode" = run ]; then
	[ $# -gt 0 ] || usage
	if [ "$kernel" = debug ]; then
		timeout=${timeout:-3600}
	else
		timeout=${timeout:-600}
	fi
else
	[ $# -eq 0 ] || usage
	timeout=${timeout:-0} # 0: no limit for a person at the shell
fi

"$vmdir/deps.sh"
kernel_vars=$("$vmdir/kernel.sh" "$kernel")
eval "$kernel_vars" # sets KVER, KDIR
"$vmdir/initramfs.sh" "$KVER"
# vmlinux (PVH entry) boots 2-3 s faster than the bzImage under TCG.
image=$project/.cache/kernels/$KVER/vmlinux
[ -e "$image" ] || image=$project/.cache/kernels/$KVER/root/boot/vmlinuz-$KVER
# Arguments a kernel needs to boot well here (the debug kernel's acpi=noirq).
extra_args=''
[ -r "$project/.cache/kernels/$KVER/cmdline" ] && read -r extra_args <"$project/.cache/kernels/$KVER/cmdline"

# Lock before touching the out dir: a queued run must not wipe a running one's.
exec 8>>"$lock"
if ! flock -n 8; then
	log "waiting for another test VM ($lock)"
	flock 8
fi

if [ -z "$out" ]; then
	out=$project/.cache/vm-out/$KVER
	rm -rf "$out" # the default out dir holds one run's results
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/{vm-cmd,vm-status,vm-term,vm-size,dmesg,console.log}
# Paths travel on the kernel command line, which splits on blanks.
case "$project$out" in *[[:space:]]*)
	log "paths with blanks are not supported: $project $out"
	exit 2 ;;
esac

if [ "$mode" = run ]; then
	printf '%s\0' "$@" >"$out/vm-cmd"
	stdin=/dev/null signal=on
else
	echo "${TERM:-vt100}" >"$out/vm-term"
	stty size >"$out/vm-size" 2>/dev/null || true
	# signal=off: ^C goes to the guest's shell, not to QEMU.
	stdin=/dev/stdin signal=off
fi

accel=(-accel tcg)
clock=tcg
# Multi-threaded TCG can run a stale copy of kernel code another vCPU just
# patched (Documentation/reliability.rst): the guest's init then keeps the
# tracepoints wfqmon attaches to patched on, so that loading and unloading
# it patches nothing. Not with one thread, where it is not needed, nor
# with --icount, whose benchmarks measure those tracepoints' cost.
hold=wfq.hold_tracepoints=1
if [ -n "$one_thread" ]; then
	accel=(-accel tcg,thread=single)
	clock='tcg, one thread'
	hold=''
fi
if [ -n "$icount" ]; then
	# sleep=on: while the guest idles its clock follows real time. With
	# sleep=off it would leap from timer to timer while the guest waits
	# for the host (9p reads), and the guest's own timeouts would expire
	# in an instant. Busy time, what benchmarks measure, is counted alike.
	accel+=(-icount shift=0,sleep=on)
	clock='tcg, icount'
	smp=1
	hold=''
fi
log "booting $KVER ($clock, $smp CPUs, $mem)"
qemu=(
	qemu-system-x86_64 "${accel[@]}" -smp "$smp" -m "$mem"
	-nodefaults -no-user-config -display none -no-reboot
	-kernel "$image"
	-initrd "$project/.cache/kernels/$KVER/initramfs.cpio.gz"
	# panic=-1 with -no-reboot: a panicking guest ends QEMU at once.
	# loglevel=5: warnings and worse reach console.log even if the guest hangs;
	# info messages stay out, as printing to a TCG serial port slows the printk caller.
	-append "console=ttyS0 loglevel=5 panic=-1 $extra_args $hold wfq.project=$project wfq.out=$out wfq.mode=$mode"
	-serial "file:$out/console.log"
	-chardev "stdio,id=term,signal=$signal"
	-device virtio-serial-pci -device "virtconsole,chardev=term"
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap"
	-virtfs "local,path=$out,mount_tag=wfqout,security_model=none,multidevs=remap"
)
# --foreground: QEMU stays in our process group, so it keeps the terminal and ^C.
timeout --foreground -k 10 "$timeout" "${qemu[@]}" <"$stdin" &
qemu_pid=$!
# Bash runs traps only between commands, hence `&` + wait: a signal to this script
# then stops QEMU instead of leaving it running with the lock.
interrupted=''
trap 'interrupted=1; kill "$qemu_pid" 2>/dev/null' INT TERM HUP
qemu_status=0
wait "$qemu_pid" || qemu_status=$?
if [ -n "$interrupted" ]; then
	wait "$qemu_pid" 2>/dev/null || true
	log "interrupted"
	exit 130
fi

# Kernel messages: the guest's own dmesg if it got that far, else the console.
kmsg=$out/dmesg
[ -s "$kmsg" ] || kmsg=$out/console.log
splats='BUG:|WARNING:|Oops|general protection fault|Kernel panic|possible circular locking'
splats+='|possible recursive locking|inconsistent lock state|suspicious RCU usage'
splats+='|rcu_sched detected stall|rcu: INFO|KASAN|UBSAN|unreferenced object'
splats+='|sleeping function called from invalid context|scheduling while atomic'
splats+='|soft lockup|hung_task|blocked for more than'
# The debug kernel's checkers (vm/debug.config): lockdep giving up, debugobjects,
# DEBUG_LIST, BUG_ON, SLUB's own consistency checks.
splats+='|DEBUG_LOCKS_WARN_ON|turning off the locking correctness validator'
splats+='|ODEBUG: .* object type:|ODEBUG disabled|list_(add|del) corruption|kernel BUG at'
splats+='|BUG [^ ]+ \((Not t|T)ainted'
splat=0
if grep -qE "$splats" "$kmsg" 2>/dev/null; then
	splat=1
	log "kernel splat in $kmsg:"
	grep -nE -B2 -A25 "$splats" "$kmsg" | head -n 300 >&2
fi

if [ "$qemu_status" -eq 124 ] || [ "$qemu_status" -eq 137 ]; then
	log "timeout after ${timeout}s; console: $out/console.log"
	exit 124
fi
if [ ! -s "$out/vm-status" ]; then
	log "the guest did not finish (qemu status $qemu_status); console: $out/console.log"
	[ "$splat" -eq 1 ] || tail -n 30 "$out/console.log" >&2 || true
	exit 125
fi
[ "$splat" -eq 0 ] || exit 125
exit "$(cat "$out/vm-status")"
