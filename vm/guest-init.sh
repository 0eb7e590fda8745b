#!/bin/bash
# PID 1 of the test VM after switch_root (vm/initramfs-init.sh has set up the root
# and mounted the out share). Runs the command vm/run.sh left in the out share, or
# a shell, then saves the exit status and dmesg there and powers off.
#
# /dev/ttyS1 is the command's terminal (the host's stdout); /dev/ttyS0 is the
# kernel console (a log file on the host). Builtins only where possible: each exec
# of a host binary costs under TCG.
# No `set -e`: PID 1 must never exit, or the kernel panics.
set -u
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8

read -r -a cmdline </proc/cmdline
project='' out='' mode=run
for arg in "${cmdline[@]}"; do
	case $arg in
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

cd "$project" || fail "no project dir $project"
read -r WFQ_KVER </proc/sys/kernel/osrelease
export WFQ_KVER WFQ_OUT=$out

tty=/dev/ttyS1
if [ "$mode" = interactive ]; then
	export TERM=vt100
	[ -r "$out/vm-term" ] && read -r TERM <"$out/vm-term"
	[ -r "$out/vm-size" ] && read -r rows cols <"$out/vm-size" &&
		stty -F "$tty" rows "$rows" cols "$cols"
	echo "wfqmon test VM ($WFQ_KVER): exit the shell to power off" >"$tty"
	# setsid -c: the shell needs $tty as controlling terminal for job control and ^C.
	setsid -c -w bash -l <>"$tty" >&0 2>&1
	status=$?
else
	export TERM=dumb
	mapfile -d '' -t argv <"$out/vm-cmd" || fail "cannot read $out/vm-cmd"
	[ ${#argv[@]} -gt 0 ] || fail "empty command"
	read -r uptime _ </proc/uptime
	echo "guest-init: command starts at uptime ${uptime}s" >/dev/ttyS0
	"${argv[@]}" </dev/null >"$tty" 2>&1
	status=$?
fi

dmesg >"$out/dmesg"
echo "$status" >"$out/vm-status"
power_off
