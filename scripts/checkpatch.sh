#!/bin/bash
# Run the kernel's checkpatch.pl --strict over the module, its selftest
# helper modules and the uapi sources.
# checkpatch comes from Debian's linux-source-6.1 package (vm/deps.sh
# installs it) and is unpacked once into .cache/linux-tools/.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tools=$("$top/scripts/linux-tools.sh")
cd "$top"
perl "$tools/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG -f kmod/*.[ch] selftests/kmod/*.c uapi/linux/*.h
