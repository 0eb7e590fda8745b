# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# What the shell tests that drive wfqtool share (sourced after setting
# $wfqtool): polling for a condition, the module's group count.

# until_ok SECONDS CMD...: CMD succeeds within SECONDS (polled every 0.1 s).
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}
# The module's group count.
nr_groups() {
	"${wfqtool:?}" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["groups"]))'
}
