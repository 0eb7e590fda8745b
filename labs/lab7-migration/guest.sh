#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lab 7, in the VM: migrate a container with CRIU, and its group by value.
# labs/lab.sh boots the kernels in order (kernels: 6.1, then 6.12) and
# gives each run the out dirs of the runs before it in LAB_EARLIER_OUTS
# (':' between them, oldest first):
#
#   guest.sh KO                          the source: checkpoint (first boot)
#   LAB_EARLIER_OUTS=SOURCE-OUT guest.sh KO
#                                        the destination: restore (second
#                                        boot) from the first boot's out dir
#
# Source. Image size and freeze time are measured on --ns all containers
# running lab7-counter at two memory sizes, each dumped whole and after
# a pre-dump (--leave-running). Then a container (net, uts and ipc
# namespaces: see NS_MIGRATED) in group "box" runs lab7-counter: a
# counter ticking every 100 ms, appended to a log file it keeps open,
# and served on a listening socket. It is dumped for good, the group
# exported (wfqtool export), the log kept.
# Destination. The log goes back at its path, the group is imported
# (cgroup by type, weight and limits by value, lag renormalised), the
# container restored into it, and its resources checked one by one; then
# the same program is started from its code (weak mobility).
# Writes into $WFQ_OUT: kernel.json, and
#   source:      measure.jsonl (one line per dump), dumped.json,
#                box.json (wfqtool export), img/ (the images), files/
#   destination: restored.json, weak.json, group.json (wfqtool show --json)
set -euo pipefail
# shellcheck source=labs/lib/guest.sh
source "$(dirname "$0")/../lib/guest.sh"
lab_init lab7 "${1:?usage: [LAB_EARLIER_OUTS=SOURCE-OUT] guest.sh KO}"
earlier=${LAB_EARLIER_OUTS:-}
source_out=${earlier%%:*}
lab_kernel_info "$LAB_OUT/kernel.json"

COUNTER=$PWD/build/labs/lab7-counter
# The container's open file: a path of the guest's throw-away root, so
# the destination must put it back (CRIU restores a file by its path).
LOG_DIR=/var/lib/wfqlab7
PORT=7007
MIGRATE_MIB=16
# What CRIU 3.17 needs in this VM (Documentation/labs/lab7-migration.rst,
# "What CRIU needs here"). A --ns all container dumps when the VM's
# mounts (9p, overlay), which CRIU cannot dump, are external; the dump
# starts at its init, which leads its own session without a terminal.
# Restoring its mount namespace fails here, so the container that moves
# has network, uts and ipc namespaces only; its init, outside a pid
# namespace, is in wfqtool's session (--shell-job).
NS_MEASURED=all
CRIU_MEASURED=(--external 'mnt[]')
NS_MIGRATED=net,uts,ipc
CRIU_MIGRATED=(--shell-job)
MS() { echo $(($(date +%s%N) / 1000000)); }

# start_box NAME MIB NS: the counter in a new container of group NAME
# with namespaces NS; prints the pid of the container's init.
start_box() {
	local name=$1 mib=$2 ns=$3 runner ids=()
	mkdir -p "$LOG_DIR"
	# In a user namespace root now maps to subordinate ids by default,
	# which cannot write the log directory: this lab measures CRIU, so
	# its containers keep root as root.
	case ,$ns, in *,all,* | *,user,*) ids=(--uid-map 0:0:1) ;; esac
	setsid "$WFQTOOL" run "$name" --ns "$ns" "${ids[@]}" --hostname "$name" -- \
		sh -c "ip link set lo up && exec $COUNTER $LOG_DIR/$name.log $PORT $mib" \
		</dev/null >/dev/null 2>&1 &
	runner=$!
	# (A subshell: the cleanup's destroy --kill ends the container.)
	for _ in $(seq 100); do
		pgrep -P "$runner" && return 0
		sleep 0.1
	done
	echo "lab7: $name: the container did not start" >&2
	return 1
}

# The counter process of the container whose init is $1.
counter_of() { pgrep -P "$1" -f lab7-counter; }
last_count() { tail -n 1 "$LOG_DIR/$1.log"; }
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
# CRIU's own statistics of a dump, in us: frozen_time and memdump_time.
dump_stats() {
	/usr/bin/crit show "$1/stats-dump" |
		/usr/bin/python3 -c 'import json,sys; d=json.load(sys.stdin)["entries"][0]["dump"]; print(json.dumps({k: d.get(k, 0) for k in ("freezing_time", "frozen_time", "memdump_time", "memwrite_time", "pages_written")}))'
}

# measure MIB: one container, dumped whole, then after a pre-dump.
measure() {
	local mib=$1 init pid rss dir stats
	lab_create "m$mib"
	init=$(start_box "m$mib" "$mib" "$NS_MEASURED")
	sleep 2
	pid=$(counter_of "$init")
	rss=$(rss_kib "$pid")
	# On the guest's tmpfs: the 9p share writes a few MB/s under
	# emulation, which would be most of the frozen time measured.
	dir=/tmp/lab7-measure/$mib
	mkdir -p "$dir/full" "$dir/pre" "$dir/inc"
	criu dump -t "$init" -D "$dir/full" --leave-running --track-mem \
		-o dump.log "${CRIU_MEASURED[@]}"
	stats=$(dump_stats "$dir/full")
	printf '{"mib": %d, "rss_kib": %d, "kind": "full", "image_kib": %d, "stats": %s}\n' \
		"$mib" "$rss" "$(du -sk "$dir/full" | cut -f1)" \
		"$stats" >>"$LAB_OUT/measure.jsonl"
	sleep 1
	criu pre-dump -t "$init" -D "$dir/pre" --track-mem -o pre.log \
		"${CRIU_MEASURED[@]}"
	sleep 1
	criu dump -t "$init" -D "$dir/inc" --prev-images-dir ../pre \
		--track-mem -o dump.log "${CRIU_MEASURED[@]}"
	stats=$(dump_stats "$dir/inc")
	printf '{"mib": %d, "rss_kib": %d, "kind": "pre-dump", "image_kib": %d, "pre_kib": %d, "stats": %s}\n' \
		"$mib" "$rss" \
		"$(du -sk "$dir/inc" | cut -f1)" "$(du -sk "$dir/pre" | cut -f1)" \
		"$stats" >>"$LAB_OUT/measure.jsonl"
	"$WFQTOOL" destroy --kill "m$mib" >/dev/null 2>&1 || true
	rm -rf "$dir"	# only the numbers are kept
}

source_side() {
	local init pid rss nspid count t0 t1
	echo "lab7: source: image size and freeze time, whole and with a pre-dump"
	: >"$LAB_OUT/measure.jsonl"
	measure 16
	measure 128

	echo "lab7: source: group box (weight 300, cpu.max 50 ms/100 ms, 256M, CPU 0), its container"
	lab_create box --weight 300 --cpu-max 50000/100000 --memory-max 256M --cpus 0
	# A neighbour, so that box's lag against s_min means something.
	lab_create other --weight 100 --cpus 0
	lab_hog other
	init=$(start_box box "$MIGRATE_MIB" "$NS_MIGRATED")
	sleep 3
	pid=$(counter_of "$init")
	rss=$(rss_kib "$pid")
	nspid=$(awk '/^NSpid/ { print $NF }' "/proc/$pid/status")
	"$WFQTOOL" export box --output "$LAB_OUT/box.json"
	mkdir -p "$LAB_OUT/img"
	t0=$(MS)
	criu dump -t "$init" -D "$LAB_OUT/img" -o dump.log "${CRIU_MIGRATED[@]}"
	t1=$(MS)
	count=$(last_count box)
	mkdir -p "$LAB_OUT/files"
	cp "$LOG_DIR/box.log" "$LAB_OUT/files/box.log"
	printf '{"count": %d, "init_pid": %d, "counter_pid": %d, "pid_in_ns": %d, "rss_kib": %d, "dump_ms": %d, "image_kib": %d, "stats": %s}\n' \
		"$count" "$init" "$pid" "$nspid" "$rss" "$((t1 - t0))" \
		"$(du -sk "$LAB_OUT/img" | cut -f1)" "$(dump_stats "$LAB_OUT/img")" \
		>"$LAB_OUT/dumped.json"
	echo "lab7: source: dumped at count $count; images in $LAB_OUT/img"
}

# ask PID: the counter's answer on its socket, from inside its netns.
ask() {
	nsenter -t "$1" -n /usr/bin/python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
print(s.recv(64).decode().strip())' "$PORT" 2>/dev/null || echo -1
}

destination_side() {
	local src=$1 dumped restored init pid t0 t1 before after gaps answer weak
	dumped=$(cat "$src/dumped.json")
	echo "lab7: destination: the open file goes back where it was"
	mkdir -p "$LOG_DIR"
	cp "$src/files/box.log" "$LOG_DIR/box.log"
	echo "lab7: destination: wfqtool import (cgroup by type, weight and limits by value)"
	"$WFQTOOL" import "$src/box.json" | tee "$LAB_OUT/import.txt"
	lab_groups+=(box)
	echo "lab7: destination: criu restore into the group"
	t0=$(MS)
	criu restore -D "$src/img" -d -o "$LAB_OUT/restore.log" \
		--pidfile "$LAB_OUT/restored.pid" "${CRIU_MIGRATED[@]}"
	t1=$(MS)
	init=$(cat "$LAB_OUT/restored.pid")
	pid=$(counter_of "$init")
	lab_pids+=("$init")
	before=$(echo "$dumped" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["count"])')
	sleep 2
	after=$(last_count box)
	# Line N of the log holds N: a line lost or repeated breaks it.
	gaps=$(awk '$1 != NR' "$LOG_DIR/box.log" | wc -l)
	answer=$(ask "$pid")
	"$WFQTOOL" show box --json >"$LAB_OUT/group.json"
	restored=$(printf '{"log_gaps": %d, "restore_ms": %d, "count_at_dump": %d, "count_after_2s": %d, "socket_answer": %d, "init_pid": %d, "counter_pid": %d, "pid_in_ns": "%s", "hostname": "%s", "cgroup": "%s", "cpu_weight": "%s", "cpu_max": "%s", "memory_max": "%s", "cpuset_cpus": "%s"}' \
		"$gaps" "$((t1 - t0))" "$before" "$after" "$answer" "$init" "$pid" \
		"$(awk '/^NSpid/ { print $NF }' "/proc/$pid/status")" \
		"$(nsenter -t "$pid" -u hostname)" \
		"$(cut -d: -f3 "/proc/$pid/cgroup")" \
		"$(cat "$WFQTOOL_CGROUP_ROOT/box/cpu.weight")" \
		"$(cat "$WFQTOOL_CGROUP_ROOT/box/cpu.max")" \
		"$(cat "$WFQTOOL_CGROUP_ROOT/box/memory.max")" \
		"$(cat "$WFQTOOL_CGROUP_ROOT/box/cpuset.cpus")")
	echo "$restored" >"$LAB_OUT/restored.json"
	echo "lab7: destination: restored in $((t1 - t0)) ms; count $before at the dump, $after 2 s after the restore"

	echo "lab7: destination: the same program started from its code (weak mobility)"
	lab_create weak
	rm -f "$LOG_DIR/weak.log"
	weak=$(start_box weak 1 "$NS_MIGRATED")
	sleep 2
	printf '{"first_count": %d, "count_after_2s": %d, "socket_answer": %d}\n' \
		"$(head -n 1 "$LOG_DIR/weak.log")" "$(last_count weak)" \
		"$(ask "$(counter_of "$weak")")" >"$LAB_OUT/weak.json"
}

ip link set lo up
if [ -z "$source_out" ]; then
	source_side
elif [ -r "$source_out/dumped.json" ]; then
	destination_side "$source_out"
else
	echo "lab7: $source_out has no checkpoint: run the source side first" >&2
	exit 1
fi
