#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run lab N in the test VM and report on it (host side).
#
#   labs/lab.sh N [--kernel 6.1|6.12]... [--check]
#
# Builds the module for each kernel and wfqtool, boots the test VM once per
# kernel (default: the lab's `kernels` file, else 6.1), in order, with
#   vm/run.sh --kernel K --out build/labs/labN/KVER -- labs/labN-SLUG/guest.sh KO
# (the earlier boots' out dirs in LAB_EARLIER_OUTS, for lab 7),
# then runs labs/labN-SLUG/report.py over the out dirs: it prints the lab's
# table and writes build/labs/labN-SLUG.svg; --check also prints
# "ok - ..." / "not ok - ..." per qualitative point (the CI test).
# Exit: non-zero if a build, a VM run or the report (or a check) failed.
set -euo pipefail

labs=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=${labs%/labs}
cd "$project"

usage() {
	sed -n '4,5s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

n=${1:-}
case $n in '' | *[!0-9]*) usage ;; esac
shift
kernels=() check=()
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) kernels+=("${2:?--kernel needs 6.1 or 6.12}"); shift 2 ;;
	--check) check=(--check); shift ;;
	*) usage ;;
	esac
done

dirs=("$labs"/lab"$n"-*/)
if [ ! -d "${dirs[0]}" ]; then
	echo "lab.sh: no lab $n in $labs (labs: $(cd "$labs" && echo lab*-*/))" >&2
	exit 2
fi
dir=${dirs[0]%/}
slug=$(basename "$dir")
if [ ${#kernels[@]} -eq 0 ]; then
	if [ -r "$dir/kernels" ]; then
		read -r -a kernels <"$dir/kernels"
	else
		kernels=(6.1)
	fi
fi

make -s -C tools
# A lab may need helpers of its own built on the host.
[ ! -e "$dir/Makefile" ] || make -s -C "$dir"
# A lab without a guest part runs on the host alone (lab 8).
[ -e "$dir/guest.sh" ] || exec "$dir/host.sh" "${check[@]}"

outs=() failed=0
for k in "${kernels[@]}"; do
	eval "$(vm/kernel.sh "$k")" # sets KVER, KDIR
	scripts/build-module.sh "$KDIR" "build/$KVER" C=2
	out=build/labs/lab$n/$KVER
	echo "lab.sh: $slug on $KVER, results in $out"
	rm -rf "$out"
	mkdir -p "$out"
	# A private copy: the VM may queue for minutes while another build
	# (build-module.sh starts with rm -rf OUTDIR/kmod) replaces the module.
	cp "build/$KVER/kmod/wfqmon.ko" "$out/wfqmon.ko"
	# The earlier runs' out dirs, ':' between them, oldest first: a lab
	# that spans boots (lab 7 restores on one kernel what it checkpointed
	# on the one before) reads them there; the guest sees the host's files
	# at the same paths. The other guests' arguments stay their own.
	earlier=$(IFS=:; echo "${outs[*]}")
	if vm/run.sh --kernel "$k" --out "$out" -- \
		env LAB_EARLIER_OUTS="$earlier" "labs/$slug/guest.sh" "$out/wfqmon.ko"; then
		outs+=("$out")
	else
		echo "lab.sh: $slug: the VM run on $KVER failed (exit $?); console: $out/console.log" >&2
		failed=1
	fi
done
[ ${#outs[@]} -gt 0 ] || exit 1

svg=build/labs/$slug.svg
# Debian's python3, for which vm/deps.sh installs python3-matplotlib (another
# python3 may come first on PATH, e.g. pyenv's).
/usr/bin/python3 "$dir/report.py" "${check[@]}" --svg "$svg" "${outs[@]}" || failed=1
exit "$failed"
