#!/bin/bash
# Run the kernel's checkpatch.pl --strict over the module, its selftest
# helper modules and the uapi sources.
# checkpatch comes from Debian's linux-source-6.1 package (vm/deps.sh
# installs it) and is unpacked once into .cache/linux-tools/.
# Files generated from the YNL spec (scripts/ynl-gen.sh; they say "Do not
# edit directly" in their second line) are left out, as the kernel leaves
# its generated netlink code to the generator: W=1 and sparse still compile
# them, and scripts/ynl-gen.sh --check keeps them what the spec generates.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=$("$top/scripts/linux-tools.sh")
cd "$top"
files=()
for f in kmod/*.[ch] selftests/kmod/*.c uapi/linux/*.h; do
	sed -n 2p "$f" | grep -q 'Do not edit directly' || files+=("$f")
done
perl "$tools/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f "${files[@]}"
