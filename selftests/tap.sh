# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# TAP for the selftests' shell scripts (sourced): ok, skip, and the
# kselftest-style "# Totals:" line selftests/run.sh adds to its count.

pass=0 fail=0 skip=0 n=0
ok() {	# ok STATUS NAME [DIAG]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		pass=$((pass + 1)); echo "ok $n $2"
	else
		fail=$((fail + 1)); echo "not ok $n $2"
		[ -n "${3:-}" ] && echo "$3" | sed 's/^/#   /'
	fi
}
skip() {	# skip NAME REASON
	n=$((n + 1)) skip=$((skip + 1)); echo "ok $n $1 # SKIP $2"
}
# until_ok SECONDS CMD...: CMD succeeds within SECONDS (polled every 0.1 s).
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@"; do
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}
totals() {	# the plan and the totals line
	echo "1..$n"
	echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
}
