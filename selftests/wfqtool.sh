# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# What the shell tests that drive wfqtool share (sourced after setting
# $wfqtool, after selftests/tap.sh, which polls: until_ok): the module's
# group count.

# The module's group count.
nr_groups() {
	"${wfqtool:?}" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["groups"]))'
}

# TAP's one failure and the totals unless $wfqtool is built: a test
# starts with wfqtool_built || exit 1.
wfqtool_built() {
	[ -x "${wfqtool:?}" ] && return 0
	ok 1 "wfqtool is built (make -C tools)"
	totals
	return 1
}
