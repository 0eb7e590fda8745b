#!/bin/bash
# PID 1 of the test VM after switch_root (vm/initramfs-init.sh has set up the root
# and mounted the out share). Runs the command vm/run.sh left in the out share, or
# a shell, then saves the exit status and dmesg there and powers off.
#
# fd 3, opened by initramfs-init.sh, is the command's terminal (the host's
# stdin/stdout); /dev/ttyS0 is the kernel console (a log file on the host).
# Builtins where possible: each exec of a host binary is slow under TCG.
# No `set -e`: PID 1 must never exit, or the kernel panics.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8

read -r -a cmdline </proc/cmdline
project='' out='' mode=run hold_tracepoints=0
for arg in "${cmdline[@]}"; do
	case $arg in
	wfq.hold_tracepoints=*) hold_tracepoints=${arg#*=} ;;
	wfq.project=*) project=${arg#*=} ;;
	wfq.out=*) out=${arg#*=} ;;
	wfq.mode=*) mode=${arg#*=} ;;
	esac
done

power_off() {
	echo o >/proc/sysrq-trigger
	# sysrq o is asynchronous (slow on PREEMPT_RT): PID 1 must outlive it.
	while :; do sleep 1; done
}

fail() {
	echo "guest-init: $*" >/dev/ttyS0
	power_off
}

# Switch on, once and for the whole boot, the static keys that cgroups
# flip: cpusets_enabled (the first cpuset), __cfs_bandwidth_used (the
# first cpu.max quota), memcg_kmem_online (the first memory cgroup). Each
# flip patches hot kernel code (page allocation, enqueue) while the other
# vCPU may be running it, and QEMU's multi-threaded TCG has been seen to
# run the stale copy then: an Oops on int3 in __alloc_pages (6.12-rt) and
# under enqueue_task (6.12, restoring a group with a cpu.max). An idle
# cgroup holds each key on, so the tests' cgroups come and go without
# patching anything; with no tasks it takes no CPU from anyone.
hold_static_keys() {
	local cg=/sys/fs/cgroup/vm-static-keys

	echo "+cpu +cpuset +memory" >/sys/fs/cgroup/cgroup.subtree_control &&
		mkdir -p "$cg" &&
		echo "1000000 100000" >"$cg/cpu.max" ||
		echo "guest-init: could not hold the cgroup static keys on" >/dev/ttyS0
}
hold_static_keys

# The same for the scheduler tracepoints wfqmon attaches to (kmod/probes.c),
# when vm/run.sh asks (multi-threaded TCG). The first probe on a tracepoint
# switches its static key on and points its static call at the probe; the
# second points the static call at the iterator; from the second on, adding
# or removing one patches nothing (kernel/tracepoint.c). So two probes that
# stay make wfqmon's insmod and rmmod patch no code: each event enabled in
# two trace instances is two probes (the instance is the probe's data).
# The instances record nothing (tracing_on 0); each probe costs a call
# that finds its ring buffer off.
hold_tracepoints() {
	local t=/sys/kernel/tracing i ev

	for i in vm-keys-1 vm-keys-2; do
		mkdir -p "$t/instances/$i" &&
			echo 0 >"$t/instances/$i/tracing_on" &&
			echo 4 >"$t/instances/$i/buffer_size_kb" || return 1
		for ev in sched_switch sched_wakeup sched_wakeup_new \
			sched_process_fork sched_process_exit sched_process_free; do
			echo 1 >"$t/instances/$i/events/sched/$ev/enable" || return 1
		done
	done
}
[ "$hold_tracepoints" != 1 ] || hold_tracepoints 2>/dev/null ||
	echo "guest-init: could not hold the scheduler tracepoints on" >/dev/ttyS0

cd "$project" || fail "no project dir $project"
read -r WFQ_KVER </proc/sys/kernel/osrelease
export WFQ_KVER WFQ_OUT=$out

if [ "$mode" = interactive ]; then
	export TERM=vt100
	[ -r "$out/vm-term" ] && read -r TERM <"$out/vm-term"
	echo "wfqmon test VM ($WFQ_KVER): exit the shell to power off" >&3
	# setsid -c: the shell needs the tty as controlling terminal for job control and ^C.
	# Not the host's rc files (they may run many programs, each slow to start under
	# TCG) but ours: it loads wfqmon.ko and puts wfqtool on PATH.
	setsid -c -w bash --noprofile --rcfile vm/guest-shell.rc -i <&3 >&3 2>&3 3>&-
	status=$?
else
	export TERM=dumb
	mapfile -d '' -t argv <"$out/vm-cmd" || fail "cannot read $out/vm-cmd"
	[ ${#argv[@]} -gt 0 ] || fail "empty command"
	read -r uptime _ </proc/uptime
	echo "guest-init: command starts at uptime ${uptime}s" >/dev/ttyS0
	"${argv[@]}" </dev/null >&3 2>&3 3>&-
	status=$?
fi

dmesg >"$out/dmesg"
echo "$status" >"$out/vm-status"
power_off
