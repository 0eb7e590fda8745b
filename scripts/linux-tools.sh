#!/bin/bash
# Unpack the few files the project uses from Debian's kernel source tarball
# (checkpatch and the kselftest harness) into .cache/linux-tools/ once, and
# print that directory.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null) ||
	{ echo "linux-tools: /usr/src/linux-source-6.1.tar.xz missing: run vm/deps.sh" >&2; exit 1; }
dest=$top/.cache/linux-tools
stamp=$dest/.unpacked
if [ ! -e "$stamp" ] || [ "$tarball" -nt "$stamp" ]; then
	rm -rf "$dest"
	mkdir -p "$dest"
	tar -xJf "$tarball" -C "$dest" --strip-components=1 --wildcards \
		'linux-source-6.1/scripts/checkpatch.pl' \
		'linux-source-6.1/scripts/spelling.txt' \
		'linux-source-6.1/scripts/const_structs.checkpatch' \
		'linux-source-6.1/tools/testing/selftests/kselftest*.h'
	touch "$stamp"
fi
echo "$dest"
