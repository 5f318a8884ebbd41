#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs test binaries (cmocka), shows their output, and ends with one plain summary line:
# "N passed, N failed". A binary that cannot run or crashes counts as a failure.
set -uo pipefail
label=$1
shift
passed=0
failed=0
for bin in "$@"; do
	echo "=== $label: $bin"
	log=$(mktemp)
	"$bin" 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
	rm -f "$log"
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "=== $bin exited with status $status"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$label: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
