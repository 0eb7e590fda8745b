#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian packages as a user installs them. Runs as root in the test VM
# (the guest's root is a throw-away overlay of the host's, where dkms and
# the running kernel's headers are; scripts/check.sh and make pkgtest):
#
#   selftests/pkg_test.sh DEBDIR      DEBDIR: make deb's build/deb
#
# dpkg -i wfqmon-dkms and wfqtool, DKMS builds the module for the running
# kernel, modprobe, a smoke test through wfqtool, then rmmod and purge,
# after which nothing of either package may be left. Prints TAP and ends
# with "N passed, N failed".
set -u

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
debdir=$(realpath "${1:?usage: pkg_test.sh DEBDIR}")
kver=$(uname -r)
tmp=$(mktemp -d /var/tmp/pkg-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=selftests/tap.sh
. "$top/selftests/tap.sh"
finish() {
	echo "1..$n"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

echo "TAP version 13"
arch=$(dpkg --print-architecture)
dkms_deb=$(compgen -G "$debdir/wfqmon-dkms_*_all.deb" | head -n1)
tool_deb=$(compgen -G "$debdir/wfqtool_*_$arch.deb" | head -n1)
[ -n "$dkms_deb" ] && [ -n "$tool_deb" ]
ok $? "packages_are_built" "no wfqmon-dkms or wfqtool .deb in $debdir (make deb)"
[ -f "/lib/modules/$kver/build/Makefile" ]
ok $? "headers_of_the_running_kernel_are_present" "/lib/modules/$kver/build"
[ "$fail" -eq 0 ] || finish
# dkms reads through process substitution, so it needs /dev/fd, which
# udev provides on a real system and the test VM's devtmpfs does not.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
# A module from an earlier run would hide the packaged one.
[ -d /sys/module/wfqmon ] && rmmod wfqmon

# --- install: DKMS builds the module here (the slow part under TCG)
start=$SECONDS
dpkg -i "$dkms_deb" "$tool_deb" >"$tmp/install.log" 2>&1
ok $? "dpkg_i_installs_wfqmon_dkms_and_wfqtool" "$(tail -n 30 "$tmp/install.log")"
echo "# dpkg -i with the DKMS build: $((SECONDS - start)) s"
status=$(dkms status wfqmon 2>&1)
[[ $status == *"$kver"*": installed"* ]]
ok $? "dkms_built_and_installed_wfqmon_for_$kver" "$status"
ko=$(modinfo -n -k "$kver" wfqmon 2>&1)
[[ $ko == "/lib/modules/$kver/updates/"* ]]
ok $? "modprobe_finds_wfqmon_under_updates" "$ko"

# --- the shipped examples change nothing until a line is uncommented
active=$(grep -hv '^[[:space:]]*\(#\|$\)' /etc/modprobe.d/wfqmon.conf /etc/modules-load.d/wfqmon.conf 2>&1)
[ -f /etc/modprobe.d/wfqmon.conf ] && [ -f /etc/modules-load.d/wfqmon.conf ] && [ -z "$active" ]
ok $? "example_configs_are_installed_commented_out" "$active"
# Its options line, uncommented with one value changed, is what modprobe reads.
sed -i 's/^#options wfqmon max_groups=16384/options wfqmon max_groups=64/' /etc/modprobe.d/wfqmon.conf
modprobe wfqmon 2>"$tmp/modprobe.err"
ok $? "modprobe_wfqmon" "$(cat "$tmp/modprobe.err")"
[ "$(cat /sys/module/wfqmon/parameters/max_groups 2>&1)" = 64 ]
ok $? "modprobe_d_example_sets_max_groups_once_uncommented" \
	"max_groups=$(cat /sys/module/wfqmon/parameters/max_groups 2>&1)"

# --- smoke test through the packaged wfqtool, in a private cgroup root
export WFQTOOL_CGROUP_ROOT=/sys/fs/cgroup/pkg-test-$$
wfqtool=/usr/sbin/wfqtool
out=$("$wfqtool" create smoke --weight 150 2>&1)
ok $? "packaged_wfqtool_creates_a_group" "$out"
names=$("$wfqtool" list --json 2>&1 | jq -r '[.groups[] | "\(.name):\(.weight)"] | join(",")' 2>&1)
[ "$names" = smoke:150 ]
ok $? "packaged_wfqtool_lists_it_from_the_family" "$names"
out=$("$wfqtool" destroy smoke 2>&1)
ok $? "packaged_wfqtool_destroys_it" "$out"
rmdir "$WFQTOOL_CGROUP_ROOT" 2>/dev/null
[ -f /usr/share/man/man8/wfqtool.8.gz ] && [ -f /usr/share/bash-completion/completions/wfqtool ]
ok $? "manual_and_bash_completion_are_installed"

# --- remove everything; nothing may be left
rmmod wfqmon
ok $? "rmmod_wfqmon"
dpkg --purge wfqtool wfqmon-dkms >"$tmp/purge.log" 2>&1
ok $? "dpkg_purge_removes_both_packages" "$(tail -n 30 "$tmp/purge.log")"
[ ! -d /sys/module/wfqmon ]
ok $? "module_is_unloaded"
left=$(find "/lib/modules/$kver" -name 'wfqmon.ko*' 2>&1; grep -l wfqmon "/lib/modules/$kver/modules.dep" 2>&1)
[ -z "$left" ]
ok $? "no_wfqmon_ko_under_lib_modules_nor_in_modules_dep" "$left"
left=$(compgen -G '/usr/src/wfqmon-*'; compgen -G '/var/lib/dkms/wfqmon')
[ -z "$left" ]
ok $? "dkms_source_and_tree_are_gone" "$left"
status=$(dkms status wfqmon 2>&1)
[ -z "$status" ]
ok $? "dkms_status_of_wfqmon_is_empty" "$status"
left='' shipped=0
for deb in "$dkms_deb" "$tool_deb"; do
	# Every file (not directory) the packages shipped, conffiles included.
	paths=$(dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sed 's|^\.||')
	while read -r path; do
		shipped=$((shipped + 1))
		[ -e "$path" ] && left+="$path "
	done <<<"$paths"
done
[ "$shipped" -gt 10 ] && [ -z "$left" ]
ok $? "every_file_of_both_packages_is_gone" "$shipped files shipped; left: $left"
known=$(dpkg-query -W -f '${Package} ${db:Status-Status}\n' wfqtool wfqmon-dkms 2>/dev/null | grep -v ' not-installed$')
[ -z "$known" ]
ok $? "dpkg_forgets_both_packages" "$known"
cd "$top" || true
finish
