# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# TAP for the shell tests of selftests/ (sourced): one "ok N NAME" or
# "not ok N NAME" line per case, with DIAG under a failure, counted in
# $pass, $fail, $skip and $n.

pass=0 fail=0 skip=0 n=0
ok() {	# ok STATUS NAME [DIAG]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "ok $n $2"
	else
		fail=$((fail + 1)); echo "not ok $n $2"
		[ -n "${3:-}" ] && while IFS= read -r line; do echo "#   $line"; done <<<"$3"
	fi
}
skip() {	# skip NAME REASON
	n=$((n + 1)) skip=$((skip + 1)); echo "ok $n $1 # SKIP $2"
}
