#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel matrix: the backend-specific integration tests on this host (auto) and, in a
# qemu guest running Debian's 6.1 kernel, with each backend forced and with auto (which must
# choose fentry there). Prints kernel x backend -> result and ends with "vmtest: N passed,
# M failed". Usage: tests/vm/matrix.sh BUILD_DIR HOST_EXPECTED_BACKEND
set -uo pipefail
build=${1:?build dir}
host_expect=${2:?backend auto must choose on this host}
here=$(cd "$(dirname "$0")" && pwd)
groups=scenarios,filters,existing,attrib
# in the guest: each backend forced, the tracepoint one without tracefs (raw_tp), and auto
vm_backends="fentry kprobe tracepoint raw_tp auto"
rows=()
total_pass=0
total_fail=0

count() { # log, PASSED|FAILED
	local pattern='^\[  PASSED  \] \([0-9]*\) test(s)\.'
	[ "$2" = FAILED ] && pattern='^\[  FAILED  \] \([0-9]*\) test(s), listed below:'
	sed -n "s/$pattern/\\1/p" "$1" | awk '{ s += $1 } END { print s + 0 }'
}

log=$(mktemp)
host_run() { # label, extra environment...
	local label=$1 p f rc
	shift
	env "$@" V6TRACE_BIN="$build/v6trace" V6TRACE_BACKEND=auto V6TRACE_EXPECT_BACKEND="$host_expect" \
		"$build/tests/itest" > "$log" 2>&1
	rc=$?
	p=$(count "$log" PASSED)
	f=$(count "$log" FAILED)
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && { cat "$log"; f=1; }
	[ "$f" -ne 0 ] && cat "$log"
	rows+=("$(uname -r) (host)|$label|$p|$f")
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}
host_run "auto -> $host_expect" V6TRACE_ITEST_GROUPS=$groups
# without tracefs the tracepoint backend falls back to the raw exit of every syscall
[ "$host_expect" = tracepoint ] &&
	host_run "auto -> tracepoint (raw_tp)" V6TRACE_TRACEFS= V6TRACE_ITEST_GROUPS=$groups,cli

"$here/run.sh" --build-dir "$build" --timeout 1200 --pack "$build/v6trace" --pack "$build/tests/itest" \
	--pack "$here/guest-tests.sh" -- ./guest-tests.sh $vm_backends > "$log" 2>&1
rc=$?
kernel=$(grep -a -o 'V6TRACE_VM_KERNEL=[^[:space:]]*' "$log" | head -n 1 | cut -d= -f2)
kernel=${kernel:-guest}
[ "$rc" -ne 0 ] && cat "$log"
# every backend asked for has its row: one the guest never reported (it hung, crashed or was
# killed before it) fails, rather than leaving a shorter table that passes
for b in $vm_backends; do
	line=$(grep -a -o "V6TRACE_VM_RESULT backend=$b passed=[0-9]* failed=[0-9]*" "$log" | tail -n 1)
	label=$b
	[ "$b" = auto ] && label="auto -> fentry"
	if [ -z "$line" ]; then
		echo "vmtest: no result for $b from the guest (status $rc); see the console above" >&2
		rows+=("$kernel (vm)|$label (no result)|0|1")
		total_fail=$((total_fail + 1))
		continue
	fi
	read -r _ _ p f <<< "$line"
	p=${p#passed=}; f=${f#failed=}
	rows+=("$kernel (vm)|$label|$p|$f")
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
done
# the guest's own status too: every row may pass while it still failed (a test binary crash)
if [ "$rc" -ne 0 ] && [ "$total_fail" -eq 0 ]; then
	echo "vmtest: the guest ended with status $rc" >&2
	rows+=("$kernel (vm)|guest exit status $rc|0|1")
	total_fail=$((total_fail + 1))
fi
rm -f "$log"

printf '\nKernel matrix (integration groups %s)\n' "$groups"
printf '%-28s %-30s %-7s %s\n' KERNEL BACKEND RESULT TESTS
for row in "${rows[@]}"; do
	IFS='|' read -r k b p f <<< "$row"
	result=pass
	[ "$f" -ne 0 ] && result=FAIL
	printf '%-28s %-30s %-7s %s\n' "$k" "$b" "$result" "$p passed, $f failed"
done
echo "vmtest: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
