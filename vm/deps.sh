#!/bin/bash
# Install the host packages the whole project needs (build, test VM, tools),
# plus any named on the command line (bench/deps.sh adds its own).
# Fast no-op when all are present, so every entry point can call it.
#
#   vm/deps.sh [EXTRA-PACKAGE...]
set -euo pipefail

packages=(
	qemu-system-x86 busybox-static kmod cpio xz-utils zstd ccache
	make gcc-12 gcc bc flex bison libelf-dev libssl-dev dwarves pkg-config
	libnl-3-dev libnl-genl-3-dev sparse linux-source-6.1
	python3 util-linux iproute2 procps jq
	# labs: the namespace probe links statically; make docs
	libc6-dev python3-sphinx
	"$@"
)

# One dpkg-query for all: it prints a line only for packages it knows.
installed=$(dpkg-query -W -f='${db:Status-Status} ${Package}\n' "${packages[@]}" 2>/dev/null |
	awk '$1 == "installed" { print $2 }') || true

missing=()
for pkg in "${packages[@]}"; do
	grep -qx -- "$pkg" <<<"$installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages (need root to install): ${missing[*]}" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
