#!/bin/bash
# Install the host packages the whole project needs (build, test VM, tools),
# plus any named on the command line (bench/deps.sh adds its own).
# Fast no-op when all are present, so every entry point can call it.
# Another process may hold the dpkg or apt lists lock (unattended-upgrades,
# another test run): apt then waits for it, up to WFQ_APT_LOCK_WAIT seconds
# (default 1800), instead of failing.
#
#   vm/deps.sh [EXTRA-PACKAGE...]
set -euo pipefail

packages=(
	qemu-system-x86 busybox-static kmod cpio xz-utils zstd ccache
	make gcc-12 gcc bc flex bison libelf-dev libssl-dev dwarves pkg-config
	libnl-3-dev libnl-genl-3-dev sparse linux-source-6.1
	# wfqtool import reads the exported group state
	libjson-c-dev
	python3 util-linux iproute2 procps jq
	# wfqtool --json output checked against Documentation/schemas; the
	# kernel's YNL generator (scripts/ynl-gen.sh) also reads YAML
	python3-jsonschema python3-yaml
	# vm/sparse.sh unpacks sid's sparse source package
	dpkg-dev
	# wfqtool exporter (HTTP server); promtool and a Prometheus server for its tests
	libmicrohttpd-dev prometheus curl
	# make deb, and the packages' VM test (selftests/pkg_test.sh)
	debhelper dh-dkms dkms lintian fakeroot
	# tools/tests/completion_test.sh
	bash-completion
	# real containers in the VM (selftests/containers.sh): Podman with crun,
	# LXC and its busybox template (which copies the host's busybox-static)
	podman crun lxc lxc-templates
	# labs: the namespace probe links statically; make docs; the plots of
	# the labs, the demo and the bench (labs/lib/plot.py)
	libc6-dev python3-sphinx python3-matplotlib
	# lab 7: checkpoint and restore of a container (crit reads its stats)
	criu
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

# make check installs everything once, at its start (scripts/check.sh sets
# this): a package missing later is a bug in the list above, not a reason to
# take apt's lock in the middle of a test run.
if [ -n "${WFQ_DEPS_INSTALLED:-}" ]; then
	echo "deps.sh: ${missing[*]} missing although make check installed its packages at the start: add them to vm/deps.sh" >&2
	exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages (need root to install): ${missing[*]}" >&2
	exit 1
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
wait_s=${WFQ_APT_LOCK_WAIT:-1800}
# Run apt-get, and while another process holds one of its locks, wait and try
# again. DPkg::Lock::Timeout covers the dpkg frontend lock; the retry covers the
# lists lock of `apt-get update`, which that option does not.
apt_locked() {	# apt_locked WHAT ARGS...
	local what=$1 deadline=$((SECONDS + wait_s)) errf
	shift
	errf=$(mktemp)
	while ! apt-get -qq -o "DPkg::Lock::Timeout=$wait_s" "$@" 2>"$errf" >&2; do
		if ! grep -q 'Could not get lock\|Unable to acquire\|Unable to lock' "$errf"; then
			cat "$errf" >&2
			rm -f "$errf"
			echo "deps.sh: $what failed" >&2
			return 1
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			cat "$errf" >&2
			rm -f "$errf"
			echo "deps.sh: $what: apt's lock was held for more than ${wait_s}s (WFQ_APT_LOCK_WAIT)" >&2
			return 1
		fi
		echo "deps.sh: $what: waiting for apt's lock ($(grep -m1 -o 'held by process [0-9]*.*' "$errf" || echo 'held by another process'))" >&2
		sleep 10
	done
	cat "$errf" >&2
	rm -f "$errf"
}
apt_locked 'apt-get update' update
apt_locked "installing ${missing[*]}" install -y --no-install-recommends "${missing[@]}"
