#!/bin/bash
# A sparse that the newest kernels accept. Since about 6.14 the kernel's
# scripts/checker-valid.sh wants __typeof_unqual__, which Debian 12's sparse
# (0.6.4) lacks, and the kernel then skips C=2 with only a warning. sid's
# sparse package is newer, but its binary needs a newer glibc: build it from
# sid's source package (vm/other-suites.sh) into .cache/sparse/.
#
#   vm/sparse.sh        prints the path of the sparse binary
set -euo pipefail

vmdir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${vmdir%/vm}/.cache/sparse
bin=$cache/bin/sparse
log() { echo "sparse.sh: $*" >&2; }

if [ ! -x "$bin" ]; then
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	if [ ! -x "$bin" ]; then
		rm -rf "$cache/src"
		"$vmdir/other-suites.sh" source sparse "$cache/src"
		log "building sid's sparse"
		# Debian's patch names its gcc-NN: use this machine's gcc. Only
		# the sparse binary; none of its optional GUI/LLVM/XML tools.
		make -s -C "$cache/src/sparse" -j"$(nproc)" CC=gcc HAVE_LLVM=no HAVE_GTK=no \
			HAVE_LIBXML=no HAVE_SQLITE=no sparse >/dev/null
		mkdir -p "$cache/bin"
		install -m 0755 "$cache/src/sparse/sparse" "$bin.tmp"
		mv "$bin.tmp" "$bin"
	fi
fi
echo "$bin"
