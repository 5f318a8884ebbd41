#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# README's Usage section quotes `v6trace --help`: the block after "`v6trace --help` (the same
# text as below" must be the real output, line for line, so that README cannot drift from
# the options the binary takes.
# Usage: tests/packaging/readme-help.sh   (from the top of the tree, after `make`)
# Env:   V6TRACE_BIN (default .output/v6trace), V6TRACE_README (default README.md)
# Ends with "readme-help: N passed, M failed"; exit status 1 if anything failed.
set -uo pipefail

bin=${V6TRACE_BIN:-.output/v6trace}
readme=${V6TRACE_README:-README.md}
# shellcheck source=tests/tally.sh
. "$(dirname "$0")/../tally.sh"

# the fenced block that follows the line introducing --help's text
quoted=$(awk '/^`v6trace --help` \(the same text as below/ { want = 1; next }
	want && /^```$/ { if (inside) exit; inside = 1; next }
	inside { print }' "$readme")
actual=$("$bin" --help)
if [ -z "$quoted" ]; then
	fail "$readme has no block after \"\`v6trace --help\` (the same text as below\""
elif [ "$quoted" = "$actual" ]; then
	pass "$readme quotes v6trace --help exactly ($(echo "$actual" | wc -l) lines)"
else
	fail "$readme's --help block differs from v6trace --help:"
	diff <(echo "$quoted") <(echo "$actual")
fi
echo "readme-help: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
