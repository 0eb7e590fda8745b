#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools/wfqtool.bash against wfqtool itself: the commands it completes are
# those of wfqtool --help, and each command's options those of its --help,
# so the two cannot drift apart. Group names come from the cgroup root.
#
#   WFQTOOL=build/tools/wfqtool tools/tests/completion_test.sh
set -u

wfqtool=${WFQTOOL:?set WFQTOOL to the built wfqtool}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=selftests/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../selftests/tap.sh"

if [ ! -r /usr/share/bash-completion/bash_completion ]; then
	ok 1 "bash-completion is installed (vm/deps.sh)"
	echo "1..$n"
	exit 1
fi
# shellcheck disable=SC1091 # Debian's bash-completion, and ours
. /usr/share/bash-completion/bash_completion
# shellcheck source=tools/wfqtool.bash
. "$here/../wfqtool.bash"

# complete LINE: the sorted candidates for the last word of LINE.
complete_line() {
	local COMP_LINE=$1 COMP_POINT=${#1} COMP_WORDS COMP_CWORD COMPREPLY=()
	read -r -a COMP_WORDS <<<"$1"
	[[ $1 == *' ' ]] && COMP_WORDS+=('')
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_wfqtool
	printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort | tr '\n' ' '
}

# The commands wfqtool --help lists under "Commands:", one a line.
commands=$("$wfqtool" --help | sed -n '/^Commands:/,/^$/p' |
	awk 'NR > 1 && NF { print $1 }' | sort | tr '\n' ' ')
got=$(complete_line 'wfqtool ')
[ -n "$commands" ] && [ "$got" = "$commands" ]
ok $? "completes_the_commands_of_wfqtool_help" "help: $commands completion: $got"
got=$(complete_line 'wfqtool --cgroup-root /tmp si')
[ "$got" = "simulate " ]
ok $? "completes_a_command_after_cgroup_root" "$got"

for cmd in $commands; do
	want=$( ("$wfqtool" "$cmd" --help; echo --help) | grep -o -- '--[a-z][a-z-]*' | sort -u | tr '\n' ' ')
	got=$(complete_line "wfqtool $cmd -")
	[ "$got" = "$want" ]
	ok $? "completes_the_options_of_${cmd}_help" "help: $want completion: $got"
done

root=$(mktemp -d)
mkdir "$root/web" "$root/batch"
got=$(WFQTOOL_CGROUP_ROOT=$root complete_line 'wfqtool destroy ')
ok "$([ "$got" = "batch web " ]; echo $?)" "completes_group_names_from_the_cgroup_root" "$got"
got=$(WFQTOOL_CGROUP_ROOT=$root complete_line 'wfqtool create ')
ok "$([ -z "$got" ]; echo $?)" "create_names_a_new_group_so_completes_none" "$got"
got=$(complete_line 'wfqtool top --sort r')
ok "$([ "$got" = "runtime " ]; echo $?)" "completes_sort_keys" "$got"
rm -rf "$root"

echo "1..$n"
[ "$fail" -eq 0 ]
