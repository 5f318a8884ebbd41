#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs test scripts that each end with "NAME: N passed, M failed", and sums them into one
# such line. A script that fails without that line counts as one failure.
set -uo pipefail
passed=0
failed=0
for script in "$@"; do
	echo "=== $script"
	log=$(mktemp)
	"$script" 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	line=$(grep -E '^[a-z-]+: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
	rm -f "$log"
	if [ -z "$line" ]; then
		echo "=== $script ended ($status) without a summary line"
		failed=$((failed + 1))
		continue
	fi
	p=$(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/.* \([0-9]*\) failed$/\1/')
	[ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
