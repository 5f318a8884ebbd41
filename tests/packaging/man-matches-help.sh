#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The manual page must not drift from --help. Builds v6trace(8) from docs/v6trace.8.scd with
# scdoc, takes the option list from the real `v6trace --help` output (never a copy of it), and
# checks in the generated page's OPTIONS section that:
#   - every short and long option --help prints has an entry (a term line of its own),
#   - each entry names the same argument (PID, FILE, ...) as --help,
#   - no entry documents an option --help no longer prints.
# Usage: tests/packaging/man-matches-help.sh   (from the top of the tree, after `make`)
# Env:   V6TRACE_BIN (default .output/v6trace), MAN_SRC (default docs/v6trace.8.scd)
# Ends with "man-page: N passed, M failed"; exit status 1 if anything failed.
set -uo pipefail

bin=${V6TRACE_BIN:-.output/v6trace}
src=${MAN_SRC:-docs/v6trace.8.scd}
# shellcheck source=tests/tally.sh
. "$(dirname "$0")/../tally.sh"

finish() {
	echo "man-page: $passed passed, $failed failed"
	if [ "$failed" -ne 0 ]; then
		exit 1
	fi
	exit 0
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if ! command -v scdoc >/dev/null; then
	fail "scdoc is not installed (apt-get install scdoc)"
	finish
fi
if [ ! -x "$bin" ]; then
	fail "$bin is not built (run make)"
	finish
fi
if ! scdoc <"$src" >"$work/v6trace.8" 2>"$work/scdoc.err"; then
	fail "scdoc rejects $src: $(cat "$work/scdoc.err")"
	finish
fi
pass "scdoc builds $src"
if ! "$bin" --help >"$work/help.txt" 2>&1; then
	fail "$bin --help exits non-zero"
	finish
fi

# --help's option lines: "  -p, --pid PID    only this process ...", "      --follow  ...".
# The description starts after a run of two spaces, so cutting there leaves "-p, --pid PID".
grep -E '^ +-' "$work/help.txt" | sed -E 's/^ +//; s/  .*//' >"$work/help-terms"

# The man page's option entries: in OPTIONS, every term line is followed by ".RS 4" (scdoc's
# indented description). Bold runs are options, italic ones arguments; "\-" is a roff hyphen.
sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$work/v6trace.8" | sed 's/\\-/-/g' |
	awk '$0 == ".RS 4" && prev != "" { print prev } { prev = $0 }' >"$work/man-terms"

# "\fB-p\fR, \fB--pid\fR \fIPID\fR" -> "-p --pid PID" (options, then the argument, if any)
man_entry_words() {
	sed -E 's/\\fB(-[^\\]*)\\fR/ \1 /g; s/\\fI([^\\]*)\\fR/ \1 /g; s/\\f[A-Z]//g; s/[],=[]/ /g' |
		tr -s ' ' | sed 's/^ //; s/ $//'
}

help_opts=0
declare -A in_help=()
while read -r term; do
	words=$(echo "$term" | tr ',' ' ' | tr -s ' ')
	arg=$(echo "$words" | tr ' ' '\n' | grep -v '^-' | head -1)
	for opt in $words; do
		[[ $opt == -* ]] || continue
		help_opts=$((help_opts + 1))
		in_help[$opt]=1
		# the man entry that lists this option, as whole words
		entry=$(man_entry_words <"$work/man-terms" | grep -E -- "(^| )$opt( |$)" | head -1)
		if [ -z "$entry" ]; then
			fail "$opt (--help: \"$term\"): no entry in the man page's OPTIONS"
			continue
		fi
		pass "$opt has an entry: \"$entry\""
		# the argument, once per help line (on its long option, or on a lone short one)
		if [ -n "$arg" ] && { [[ $opt == --* ]] || [[ $words != *--* ]]; }; then
			if echo "$entry" | tr ' ' '\n' | grep -qxF -- "$arg"; then
				pass "$opt takes $arg in both"
			else
				fail "$opt takes $arg in --help, but the man entry is \"$entry\""
			fi
		fi
	done
done <"$work/help-terms"

# a parse that found nothing would pass every check above: --help always has -h and --help
if [ "$help_opts" -ge 2 ] && [ -n "${in_help[--help]:-}" ] && [ -n "${in_help[-h]:-}" ]; then
	pass "$help_opts options parsed from $bin --help"
else
	fail "parsed only $help_opts options from $bin --help (is its format still \"  -x, --long ARG  text\"?)"
fi

# the other way round: an option removed from --help must leave the man page too
while read -r words; do
	for opt in $words; do
		[[ $opt == -* ]] || continue
		if [ -z "${in_help[$opt]:-}" ]; then
			fail "$opt is in the man page's OPTIONS but not in --help"
		fi
	done
done < <(man_entry_words <"$work/man-terms")

finish
