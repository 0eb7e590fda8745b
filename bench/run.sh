#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: wfqmon's cost on the scheduler, its read path, memory and
# accuracy, measured in the test VM on each kernel, as ratios within one boot.
#
#   bench/run.sh [KERNEL...]        default: $KERNELS or "6.1 6.12"
#
# Environment: BENCH_CLOCK (icount), ROUNDS (3 with icount, 5 with tcg), REPS
# (2 with icount, 5 with tcg), PIPE_LOOPS (4000), MSG_LOOPS (60), BENCH_GROUPS
# (10000), BENCH_REALTIME (1; 0 leaves out the second boot below).
#
# BENCH_CLOCK=icount (the default) boots the VM with vm/run.sh --icount: guest
# time then counts guest instructions (1 ns each), so a slowdown is the share
# of extra instructions, the same from run to run (about +-0.1%) whatever else
# loads the host. BENCH_CLOCK=tcg times the usual emulation in real time, as
# noisy as the host (+-3% pinned, see Documentation/performance.rst).
# Per kernel: builds wfqmon.ko and bench/noop under build/bench/<KVER>/, boots
# the VM once and runs bench/guest.py there, which writes
# build/bench/results-<KVER>.json. A second boot, two vCPUs in real time,
# runs bench/realtime.py: the longest interrupts-off section with 10,000
# active groups while STATS_GET is hammered, and wfqtool watch's latency
# (about three minutes). Then bench/report.py prints the table and
# draws build/bench/slowdown.svg from every kernel's results.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
# shellcheck disable=SC2206 # word splitting of the list is wanted
kernels=(${*:-${KERNELS:-6.1 6.12}})
clock=${BENCH_CLOCK:-icount}
case $clock in
icount) rounds=${ROUNDS:-3} reps=${REPS:-2} vm_clock=(--icount) ;;
tcg) rounds=${ROUNDS:-5} reps=${REPS:-5} vm_clock=() ;;
*) echo "bench: BENCH_CLOCK must be icount or tcg" >&2; exit 2 ;;
esac
pipe_loops=${PIPE_LOOPS:-4000}
msg_loops=${MSG_LOOPS:-60}
groups=${BENCH_GROUPS:-10000}
realtime=${BENCH_REALTIME:-1}
# Boot + 10,000 cgroups + R rounds of 7 configurations + the rest.
vm_timeout=$((240 + rounds * 90))

log() { echo "bench: $*" >&2; }

vm/deps.sh
bench/deps.sh
make -s -C bench
make -s -C tools

results=()
for k in "${kernels[@]}"; do
	eval "$(vm/kernel.sh "$k")"
	out=build/bench/$KVER
	log "$KVER: building wfqmon.ko and the noop probe"
	scripts/build-module.sh "$KDIR" "$out/wfqmon" >/dev/null
	rm -rf "$out/noop"
	mkdir -p "$out/noop"
	ln -s "$top"/bench/noop/wfqbench_noop.c "$top"/bench/noop/Kbuild "$out/noop/"
	if ! make -C "$KDIR" M="$top/$out/noop" W=1 KCFLAGS=-Werror modules \
		>"$out/noop/build.log" 2>&1; then
		cat "$out/noop/build.log" >&2
		exit 1
	fi

	log "$KVER: running in the VM ($clock clock, rounds=$rounds, up to ${vm_timeout}s)"
	vmout=$top/$out/vm
	rm -rf "$vmout"
	mkdir -p "$vmout"
	vm/run.sh --kernel "$KVER" --out "$vmout" --timeout "$vm_timeout" "${vm_clock[@]}" -- \
		python3 bench/guest.py --kver "$KVER" --out "$vmout/results.json" \
		--clock "$clock" \
		--rounds "$rounds" --reps "$reps" --pipe-loops "$pipe_loops" \
		--msg-loops "$msg_loops" --groups "$groups"
	if [ "$realtime" = 1 ]; then
		# A second boot, two vCPUs in real time (bench/realtime.py).
		log "$KVER: interrupts off and watch latency in the VM (real time)"
		rtout=$top/$out/vm-realtime
		rm -rf "$rtout"
		mkdir -p "$rtout"
		vm/run.sh --kernel "$KVER" --out "$rtout" --timeout 900 -- \
			python3 bench/realtime.py --ko "$out/wfqmon/kmod/wfqmon.ko" \
			--out "$rtout/realtime.json" --groups "$groups"
		python3 - "$vmout/results.json" "$rtout/realtime.json" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
	doc = json.load(f)
with open(sys.argv[2]) as f:
	rt = json.load(f)
doc.update(irqoff=rt["irqoff"], watch=rt["watch"])
with open(sys.argv[1], "w") as f:
	json.dump(doc, f, indent=1)
PY
	fi
	cp "$vmout/results.json" "build/bench/results-$KVER.json"
	results+=("build/bench/results-$KVER.json")
done

# Debian's python3: vm/deps.sh installs python3-matplotlib for it.
/usr/bin/python3 bench/report.py --svg build/bench/slowdown.svg "${results[@]}"
