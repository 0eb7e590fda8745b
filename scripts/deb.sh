#!/bin/bash
# Build the Debian packages of debian/ (wfqmon-dkms, wfqtool) with
# dpkg-buildpackage -b -us -uc, into OUTDIR rather than the project's
# parent directory, and check them with lintian (errors and warnings
# fail; overrides are in debian/*.lintian-overrides, with their reasons).
#
#   scripts/deb.sh [OUTDIR]       default build/deb
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
out=${1:-build/deb}

# dh_dkms takes the module's version from the package's: keep them one.
version=$(<VERSION)
deb_version=$(dpkg-parsechangelog -S Version)
if [ "$deb_version" != "$version" ]; then
	echo "deb.sh: debian/changelog is at $deb_version but VERSION is $version: add an entry (dch -v $version)" >&2
	exit 1
fi

rm -rf "$out"
mkdir -p "$out"
out=$(cd "$out" && pwd)
arch=$(dpkg --print-architecture)
DEB_OUTDIR=$out dpkg-buildpackage -b -us -uc \
	--buildinfo-option="-u$out" --buildinfo-file="$out/wfqmon_${version}_$arch.buildinfo" \
	--changes-option="-u$out" --changes-file="$out/wfqmon_${version}_$arch.changes" >&2

lintian --fail-on error,warning --info "$out"/*.deb >&2
ls "$out"/*.deb
