# SPDX-License-Identifier: GPL-2.0
# Sourced by the shell test scripts (tests/packaging, tests/static): one tally of checks, each
# printed as "ok   ..." or "FAIL ...", which the script reports and turns into its exit status.
passed=0
failed=0

pass() {
	passed=$((passed + 1))
	echo "ok   $*"
}

fail() {
	failed=$((failed + 1))
	echo "FAIL $*"
}
