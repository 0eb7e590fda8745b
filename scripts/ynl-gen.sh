#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Generate the family's ops and policies (kmod/genl.c, kmod/genl.h) and the
# uapi header (uapi/linux/wfqmon.h) from Documentation/netlink/specs/wfqmon.yaml
# with the kernel's own generator, tools/net/ynl/pyynl/ynl_gen_c.py, as
# net/handshake does. Nobody edits the generated files: change the spec and
# run this.
#
#   scripts/ynl-gen.sh            regenerate the three files
#   scripts/ynl-gen.sh --check    regenerate, then fail if any of them changed
#
# The generator comes from Debian's linux-source-$WFQ_YNL_SERIES (default
# 7.3: 6.12's generator cannot emit a genetlink-legacy family with split
# ops), unpacked by vm/source-tree.sh. It is pinned because its output
# differs between versions, and --check compares byte for byte.
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
series=${WFQ_YNL_SERIES:-7.3}
check=0
case ${1:-} in
--check) check=1 ;;
'') ;;
*) sed -n '9,10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
esac

vm/source-tree.sh "$series" >/dev/null
src=.cache/source-trees/linux-source-$series
gen=$src/tools/net/ynl/pyynl/ynl_gen_c.py
[ -f "$gen" ] || { echo "ynl-gen: $gen: no generator in this tree" >&2; exit 1; }

# The generator finds the schema next to the spec's directory and names the
# spec by its path below the kernel tree's root (the directory holding
# MAINTAINERS): give it that layout, so the files say where they come from.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/Documentation/netlink/specs"
touch "$work/MAINTAINERS"
cp "$src"/Documentation/netlink/genetlink*.yaml "$work/Documentation/netlink/"
spec=$work/Documentation/netlink/specs/wfqmon.yaml
cp Documentation/netlink/specs/wfqmon.yaml "$spec"

# Handlers keep their wfq_nl_ prefix (kmod/netlink.c).
# The output's base name matters: a source includes the header of its name.
ynl() {	# ynl MODE --header|--source OUT
	local out=$work/${3##*/}
	python3 "$gen" --mode "$1" "$2" --function-prefix wfq-nl --spec "$spec" \
		-o "$out" || { echo "ynl-gen: $3: generator failed" >&2; exit 1; }
	if [ "$check" = 1 ] && ! cmp -s "$out" "$3"; then
		echo "ynl-gen: $3 differs from what the spec generates (run scripts/ynl-gen.sh):" >&2
		diff -u "$3" "$out" >&2 || true
		stale=1
	fi
	[ "$check" = 1 ] || cp "$out" "$3"
}

stale=0
ynl kernel --source kmod/genl.c
ynl kernel --header kmod/genl.h
ynl uapi --header uapi/linux/wfqmon.h
exit "$stale"
