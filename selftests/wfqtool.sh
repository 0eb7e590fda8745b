# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# What the shell tests that drive wfqtool share (sourced after setting
# $wfqtool, after selftests/tap.sh, which polls: until_ok): the module's
# group count.

# The module's group count.
nr_groups() {
	"${wfqtool:?}" list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["groups"]))'
}
