#!/bin/bash
# Download packages from Debian suites other than the machine's own (bullseye's
# linux-source-5.10, the newest kernel of trixie-backports or sid) without
# touching the system's apt state: a private apt configuration whose sources
# repeat the mirror of the machine's /etc/apt/sources.list.d/*.sources with
# other suite names. Its lists and downloads live in .cache/other-suites/.
#
#   vm/other-suites.sh update               refresh the private package lists
#   vm/other-suites.sh newest-source        X.Y of the newest linux-source-X.Y
#   vm/other-suites.sh version PKG          PKG's highest version in those suites
#   vm/other-suites.sh depends PKG          PKG's direct dependencies, one a line
#   vm/other-suites.sh download PKG...      .deb paths on stdout (cached)
#   vm/other-suites.sh source PKG DIR        sid's source of PKG unpacked in DIR/PKG
#
# The suites: WFQ_OTHER_SUITES (default "bullseye trixie trixie-backports sid").
# Lists are refreshed when older than a day, or when missing.
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
base=$project/.cache/other-suites
log() { echo "other-suites.sh: $*" >&2; }
usage() { sed -n '7,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }
[ $# -ge 1 ] || usage

mkdir -p "$base/lists/partial" "$base/archives/partial" "$base/debs"
apt_opts=(
	-o "Dir::Etc::SourceList=$base/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$base/lists" -o "Dir::Cache=$base"
	-o "Dir::Cache::archives=$base/archives" -o Dir::Cache::pkgcache=
	-o Dir::Cache::srcpkgcache= -o "Dir::State::status=$base/status"
	-o APT::Sandbox::User=root -o Acquire::Languages=none
)

# The machine's main archive: the URI of the stanza that carries its own
# release (not -security, -updates); its keyring knows the neighbour suites.
write_sources() {
	local codename uri
	# shellcheck source=/dev/null
	codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
	uri=$(awk -v want="$codename" '
		/^$/ { if (found && uri != "") { print uri; exit } found = 0; uri = "" }
		/^URIs:/ { uri = $2 }
		/^Suites:/ { for (i = 2; i <= NF; i++) if ($i == want) found = 1 }
		END { if (found && uri != "") print uri }' /etc/apt/sources.list.d/*.sources | head -n1)
	[ -n "$uri" ] || { log "no stanza for suite $codename in /etc/apt/sources.list.d/*.sources"; exit 1; }
	local suite
	: >"$base/sources.list.tmp"
	for suite in ${WFQ_OTHER_SUITES:-bullseye trixie trixie-backports sid}; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main" \
			>>"$base/sources.list.tmp"
	done
	# Source packages of the development suite only (vm/sparse.sh).
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri sid main" \
		>>"$base/sources.list.tmp"
	mv "$base/sources.list.tmp" "$base/sources.list"
}

update() {
	write_sources
	log "updating package lists of: ${WFQ_OTHER_SUITES:-bullseye trixie trixie-backports sid}"
	apt-get -qq "${apt_opts[@]}" update >&2
	: >"$base/status"
	touch "$base/lists/.updated"
}

lists_fresh() {
	[ -e "$base/lists/.updated" ] && [ -e "$base/sources.list" ] &&
		[ -z "$(find "$base/lists/.updated" -mmin +1440)" ]
}
ensure_lists() {
	lists_fresh && return 0
	# Offline with older lists: use them rather than fail.
	update || { [ -e "$base/lists/.updated" ] && log "update failed; using older lists"; }
}

# The highest version any suite has: backports are not candidates by default.
version() {	# version PKG; empty if no suite has it
	apt-cache "${apt_opts[@]}" madison "$1" 2>/dev/null |
		awk -F' *[|] *' '{ print $2 }' | sort -V | tail -n1
}

cmd=$1
shift
case $cmd in
update) update ;;
newest-source)
	ensure_lists
	apt-cache "${apt_opts[@]}" search --names-only '^linux-source-[0-9]+\.[0-9]+$' |
		sed -n 's/^linux-source-\([0-9.]*\) .*/\1/p' | sort -V | tail -n1
	;;
version)
	ensure_lists
	version "${1:?}"
	;;
depends)
	ensure_lists
	apt-cache "${apt_opts[@]}" depends "${1:?}" |
		sed -n 's/^ *\(Pre\)\{0,1\}Depends: \([^< ][^ ]*\)$/\2/p'
	;;
download)
	[ $# -ge 1 ] || usage
	for pkg in "$@"; do
		deb=$(compgen -G "$base/debs/${pkg}_*.deb" | sort -V | tail -n1) || true
		if [ -z "$deb" ]; then
			ensure_lists
			ver=$(version "$pkg")
			[ -n "$ver" ] || { log "no suite of $base/sources.list has $pkg"; exit 1; }
			log "downloading $pkg $ver"
			(cd "$base/debs" && apt-get -qq "${apt_opts[@]}" download "$pkg=$ver" >&2)
			deb=$(compgen -G "$base/debs/${pkg}_${ver//:/%3a}_*.deb" | head -n1)
		fi
		echo "$deb"
	done
	;;
source)
	# A source package of sid, unpacked into DIR/PKG (dpkg-source).
	[ $# -eq 2 ] || usage
	ensure_lists
	mkdir -p "$2"
	(cd "$2" && apt-get -qq "${apt_opts[@]}" source --download-only "$1" >&2 &&
		dpkg-source -x --no-check ./"$1"_*.dsc "$1" >&2)
	;;
*) usage ;;
esac
