#!/bin/bash
# Build wfqmon.ko, and the selftests' helper modules, against one kernel's
# headers, out of the source tree.
#
#   scripts/build-module.sh KDIR OUTDIR [KBUILD ARGS...]
#
# Kbuild writes objects next to the sources it is given, so OUTDIR gets
# a tree of symlinks to kmod/, selftests/kmod/, uapi/ and the top Kbuild;
# that lets several kernels be built side by side. The module lands in
# OUTDIR/kmod/wfqmon.ko, the helpers in OUTDIR/selftests/kmod/. Warnings
# fail the build (W=1, -Werror); with C=2 sparse checks every file and its
# warnings fail it too.
set -euo pipefail

[ $# -ge 2 ] || { echo "usage: $0 KDIR OUTDIR [KBUILD ARGS...]" >&2; exit 2; }
kdir=$1 out=$2
shift 2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

[ -f "$kdir/Makefile" ] || { echo "build-module: $kdir: no kernel headers there" >&2; exit 1; }
rm -rf "$out/kmod" "$out/uapi" "$out/selftests"
mkdir -p "$out/kmod" "$out/uapi/linux" "$out/selftests/kmod"
ln -sf "$top/Kbuild" "$out/Kbuild"
ln -s "$top"/kmod/*.[ch] "$top/kmod/Kbuild" "$out/kmod/"
ln -s "$top"/selftests/kmod/*.c "$top/selftests/kmod/Kbuild" "$out/selftests/kmod/"
ln -s "$top/uapi/linux/wfqmon.h" "$out/uapi/linux/"
out=$(cd "$out" && pwd)

log=$out/build.log
build() { make -C "$kdir" M="$out" W=1 KCFLAGS=-Werror "$@" modules >"$log" 2>&1; }
status=0
build "$@" || status=$?
# Newer kernels refuse Debian 12's sparse and then skip C=2 with a mere
# warning: build again with a sparse they accept (vm/sparse.sh).
refused='C=[12] specified, but .* is not available or not up to date'
if grep -q "$refused" "$log"; then
	sparse=$("$top/vm/sparse.sh")
	status=0
	build "$@" CHECK="$sparse" || status=$?
	if grep -q "$refused" "$log"; then
		cat "$log" >&2
		echo "build-module: $kdir refuses $sparse too: sparse did not run" >&2
		exit 1
	fi
fi
if [ "$status" -ne 0 ]; then
	cat "$log" >&2
	echo "build-module: build against $kdir failed" >&2
	exit 1
fi
# sparse reports through the compiler's stderr without failing make.
if grep -E '^[^ ]*(kmod|uapi)/[^ ]*: (warning|error):' "$log" >&2; then
	echo "build-module: sparse or compiler warnings (above)" >&2
	exit 1
fi
echo "$out/kmod/wfqmon.ko"
