# SPDX-License-Identifier: GPL-2.0
# bash completion for wfqtool(8): commands, their options, and group
# names, taken from the cgroup root's directories (no netlink, no root).

_wfqtool_groups()
{
	local root=${WFQTOOL_CGROUP_ROOT:-/sys/fs/cgroup/wfqmon} d
	for d in "$root"/*/; do
		[ -d "$d" ] && d=${d%/} && printf '%s\n' "${d##*/}"
	done
}

_wfqtool()
{
	local cur prev words cword cmd i opts
	local commands='create bind unbind watch destroy set attach run list show report top events exporter simulate version'
	_init_completion || return

	# The command: the first word after wfqtool and its --cgroup-root DIR.
	i=1
	[ "${words[1]}" = --cgroup-root ] && i=3
	if [ "$cword" -le "$i" ]; then
		if [ "$prev" = --cgroup-root ]; then
			_filedir -d
		elif [[ $cur == -* ]]; then
			mapfile -t COMPREPLY < <(compgen -W '--cgroup-root --help --version' -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
		fi
		return
	fi
	cmd=${words[i]}

	case $prev in
	--root|--overlay|--overlay-dir|--cgroup)
		_filedir -d
		return ;;
	--replay|--weights|--trace|--output|-o)
		_filedir
		return ;;
	--sort|-s)
		mapfile -t COMPREPLY < <(compgen -W 'share weight runtime wait name' -- "$cur")
		return ;;
	--ns)
		mapfile -t COMPREPLY < <(compgen -W 'all pid mnt uts ipc net user' -- "$cur")
		return ;;
	--weight|-w|--cpu-max|--cpus|--memory-max|--interval|-i|--count|-c|\
	--timeout|--hostname|--uid-map|--gid-map|--quantum|-q|--duration|-d|\
	--group|-g|--name|-n|--listen|-l|--cgroup-id|--match|-m|--depth)
		return ;;
	esac

	case $cmd in
	create) opts='--name --weight --cpu-max --cpus --memory-max' ;;
	set) opts='--weight --cpu-max --cpus --memory-max' ;;
	bind) opts='--cgroup --cgroup-id --weight' ;;
	unbind) opts='' ;;
	watch) opts='--match --depth --interval --json' ;;
	destroy) opts='--kill' ;;
	attach) opts='' ;;
	run) opts='--ns --hostname --uid-map --gid-map --root --overlay --overlay-dir' ;;
	list) opts='--json --no-legend' ;;
	show) opts='--json --per-cpu' ;;
	report) opts='--interval --count --json --prometheus --output --no-legend' ;;
	top) opts='--interval --count --sort --no-legend' ;;
	exporter) opts='--listen' ;;
	version) opts='' ;;
	events) opts='--json --count --timeout' ;;
	simulate) opts='--group --replay --weights --quantum --duration --no-catchup --compare --json --trace' ;;
	*) return ;;
	esac

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$opts --help" -- "$cur")
		return
	fi
	# The group a command names comes first; attach then takes PIDs and
	# run a command line.
	case $cmd in
	create|bind|unbind|simulate|list|report|top|events|exporter|version) ;;
	watch) [ "$cword" -eq $((i + 1)) ] && _filedir -d ;;
	*)
		if [ "$cword" -eq $((i + 1)) ]; then
			mapfile -t COMPREPLY < <(compgen -W "$(_wfqtool_groups)" -- "$cur")
		elif [ "$cmd" = attach ]; then
			_pids
		elif [ "$cmd" = run ]; then
			# CMD follows NAME directly or after "--".
			local j=$((i + 2))
			while [ "$j" -lt "$cword" ] && [ "${words[j]}" != -- ]; do
				j=$((j + 1))
			done
			[ "$j" -lt "$cword" ] && _command_offset $((j + 1))
			[ "$cword" -eq $((i + 2)) ] && _command_offset "$cword"
		fi ;;
	esac
}
complete -F _wfqtool wfqtool
