#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs in the guest: the backend-specific integration tests once per backend named on the
# command line (matrix.sh takes them from tests/vm/kernels: fentry, kprobe, tracepoint, raw_tp
# for tracepoint without tracefs, which takes the raw exit of every syscall, and auto, which
# must choose the backend --expect names). One V6TRACE_VM_RESULT line per run for the host's
# matrix; exit status 0 only if all passed.
groups=${V6TRACE_ITEST_GROUPS:-scenarios,filters,existing,refused,owners,attrib}
# raw_tp differs from the tracepoint run only in how sys_exit reaches the same handlers of
# bind, setsockopt and recv* (the syscall number, the compat check): the groups whose events
# those calls make. refused, owners and attrib run the same programs in the tracepoint run.
raw_groups=${V6TRACE_ITEST_GROUPS:-scenarios,filters,existing}
# and what no backend changes (-l loads no program) runs once, with the guest's first backend
once=listing
[ -n "${V6TRACE_ITEST_GROUPS:-}" ] && once=
usage="guest-tests: usage: guest-tests.sh --expect AUTO BACKEND... (fentry kprobe tracepoint raw_tp auto)"
[ "$1" = --expect ] && [ $# -ge 3 ] || { echo "$usage"; exit 2; }
expect=$2
shift 2
failed=0
for backend in "$@"; do
	log=/tmp/itest-$backend.log
	if [ "$backend" = raw_tp ]; then
		# cli runs here, once
		V6TRACE_TRACEFS='' V6TRACE_BIN=/opt/vmtest/v6trace V6TRACE_BACKEND=tracepoint \
			V6TRACE_EXPECT_BACKEND=$expect V6TRACE_ITEST_GROUPS=$raw_groups,cli${once:+,$once} \
			/opt/vmtest/itest > "$log" 2>&1
	else
		# auto's run checks each backend against the compat group's kernel oracle, and
		# that scenarios' events come from the backend it chose; the rest of the groups
		# ran under that backend by name
		g=$groups${once:+,$once}
		[ "$backend" = auto ] && g=scenarios,compat${once:+,$once}
		V6TRACE_BIN=/opt/vmtest/v6trace V6TRACE_BACKEND=$backend V6TRACE_EXPECT_BACKEND=$expect \
			V6TRACE_ITEST_GROUPS=$g /opt/vmtest/itest > "$log" 2>&1
	fi
	rc=$?
	once=
	cat "$log"
	passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	fails=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | awk '{ s += $1 } END { print s + 0 }')
	[ "$rc" -ne 0 ] && [ "$fails" -eq 0 ] && fails=1
	[ "$rc" -ne 0 ] && failed=1
	echo "V6TRACE_VM_RESULT backend=$backend passed=$passed failed=$fails"
done
exit $failed
