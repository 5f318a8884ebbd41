#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Drives the bash completion (completion/v6trace.bash) as readline would: COMP_WORDS,
# COMP_CWORD, COMP_LINE and COMP_POINT set, then _v6trace called, then COMPREPLY checked.
# The expected values come from the real binary wherever it states them: the option list
# from `v6trace --help`, the values of -B, --event and --color from its own error message
# for a bad value. The -N case needs root (it creates network namespaces).
# Usage: tests/packaging/completion.sh   (from the top of the tree, after `make`)
# Env:   V6TRACE_BIN (default .output/v6trace), V6TRACE_COMPLETION (default
#        completion/v6trace.bash)
# Ends with "completion: N passed, M failed"; exit status 1 if anything failed.

# Not `set -u`: bash-completion's functions read unset variables by design.
set -o pipefail

bin=$(realpath "${V6TRACE_BIN:-.output/v6trace}")
script=$(realpath "${V6TRACE_COMPLETION:-completion/v6trace.bash}")
# shellcheck source=tests/tally.sh
. "$(dirname "$0")/../tally.sh"
work=
netns_pid=
netns_name=

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	[ -n "$netns_pid" ] && kill "$netns_pid" 2>/dev/null
	[ -n "$netns_name" ] && ip netns delete "$netns_name" 2>/dev/null
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT

finish() {
	echo "completion: $passed passed, $failed failed"
	if [ "$failed" -ne 0 ]; then
		exit 1
	fi
	exit 0
}

# Completes the last argument, as readline would after the user pressed Tab at the end of the
# line: complete_line WORD... ; the result, sorted, one per line, is in $reply. Readline makes
# "=" a word of its own ("--color=ne" is --color, =, ne) but COMP_LINE has no spaces around it,
# which is how bash-completion tells "--color=ne" from "--color = ne".
complete_line() {
	local word prev_word=
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=
	for word in "$@"; do
		if [ -n "$COMP_LINE" ] && [ "$word" != = ] && [ "$prev_word" != = ]; then
			COMP_LINE+=" "
		fi
		COMP_LINE+=$word
		prev_word=$word
	done
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	_v6trace "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	reply=$(printf '%s\n' "${COMPREPLY[@]}" | sed '/^$/d' | sort)
}

# expect_exact DESCRIPTION "EXPECTED WORDS" WORD... : the completions are exactly these
expect_exact() {
	local desc=$1 want
	want=$(tr ' ' '\n' <<<"$2" | sed '/^$/d' | sort)
	shift 2
	complete_line "$@"
	if [ "$reply" = "$want" ]; then
		pass "$desc: $(echo "$reply" | tr '\n' ' ')"
	else
		fail "$desc: want [$(echo "$want" | tr '\n' ' ')] got [$(echo "$reply" | tr '\n' ' ')]"
	fi
}

# expect_has DESCRIPTION WANTED WORD... : the completions include WANTED
expect_has() {
	local desc=$1 want=$2
	shift 2
	complete_line "$@"
	if echo "$reply" | grep -qxF -- "$want"; then
		pass "$desc: offers $want ($(echo "$reply" | wc -l) candidates)"
	else
		fail "$desc: $want not offered; got [$(echo "$reply" | tr '\n' ' ')]"
	fi
}

# The values the binary accepts for OPT, from its error message for a bad one:
# "v6trace: invalid backend 'x': expected auto, fentry, kprobe or tracepoint (see --help)"
accepted_values() {
	"$bin" "$1" 'no-such-value' 2>&1 >/dev/null |
		sed -n 's/.*: expected \(.*\) (see --help)$/\1/p' | sed 's/,//g; s/ or / /' |
		tr ' ' '\n' | sed '/^$/d' | sort
}

if [ ! -x "$bin" ]; then
	fail "$bin is not built (run make)"
	finish
fi
if [ ! -r /usr/share/bash-completion/bash_completion ]; then
	fail "bash-completion is not installed (apt-get install bash-completion)"
	finish
fi
# shellcheck source=/dev/null # the system's bash-completion library
. /usr/share/bash-completion/bash_completion
# shellcheck source=/dev/null # linted on its own
. "$script"
if [ "$(complete -p v6trace 2>/dev/null)" = "complete -F _v6trace v6trace" ]; then
	pass "$script registers _v6trace for v6trace"
else
	fail "$script does not register _v6trace: $(complete -p v6trace 2>&1)"
fi

# Options: exactly those --help prints (parsed here independently of the completion's parser).
help_opts=$("$bin" --help | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
	grep -oE -- '(^|[ ,])--?[A-Za-z0-9][A-Za-z0-9-]*' | tr -d ' ,' | sort -u)
if [ "$(echo "$help_opts" | wc -l)" -ge 20 ]; then
	pass "--help lists $(echo "$help_opts" | wc -l) options"
else
	fail "--help parsed into too few options: [$help_opts]"
fi
expect_exact "v6trace -<Tab> offers every --help option" "$help_opts" "$bin" -
expect_exact "v6trace --ev" "--event" "$bin" --ev
expect_exact "v6trace --no-s" "--no-snapshot" "$bin" --no-s
expect_exact "v6trace -q --fo" "--follow" "$bin" -q --fo
expect_exact "v6trace --rotate-" "--rotate-count --rotate-size" "$bin" --rotate-
expect_exact "v6trace -V (a whole short option)" "-V" "$bin" -V
expect_exact "v6trace --metr" "--metrics --metrics-interval" "$bin" --metr
expect_exact "v6trace -q --metrics-i" "--metrics-interval" "$bin" -q --metrics-i
# the command word as typed: v6trace found in PATH
PATH="$(dirname "$bin"):$PATH" expect_exact "v6trace (from PATH) --bu" "--buffer-size" v6trace --bu

# Values, checked against what the binary accepts.
for opt in -B --event --color; do
	want=$(accepted_values "$opt")
	if [ -z "$want" ]; then
		fail "$bin $opt no-such-value did not list the accepted values"
		continue
	fi
	expect_exact "v6trace $opt <Tab> offers what $opt accepts" "$want" "$bin" "$opt" ""
	for value in $reply; do
		if "$bin" "$opt" "$value" --help >/dev/null 2>&1; then
			pass "v6trace $opt $value is accepted"
		else
			fail "v6trace $opt $value is offered but rejected"
		fi
	done
done
expect_exact "v6trace -B k" "kprobe" "$bin" -B k
expect_exact "v6trace --backend=tr" "tracepoint" "$bin" --backend = tr
expect_exact "v6trace --event l" "listen listening" "$bin" --event l
expect_exact "v6trace -m --event ud" "udp-mapped" "$bin" -m --event ud
expect_exact "v6trace --color=ne" "never" "$bin" --color = ne
expect_exact "v6trace -P <Tab> (a port: nothing to offer)" "" "$bin" -P ""
expect_exact "v6trace --since <Tab> (a time: nothing to offer)" "" "$bin" --since ""
expect_exact "v6trace --peer <Tab> (another host: nothing to offer)" "" "$bin" --peer ""
expect_has "v6trace -u <Tab> (root's uid)" "0" "$bin" -u ""
expect_has "v6trace --local <Tab> (the loopback address)" "127.0.0.1" "$bin" --local ""
for value in $reply; do
	if "$bin" --local "$value" --help >/dev/null 2>&1; then
		pass "v6trace --local $value is accepted"
	else
		fail "v6trace --local $value is offered but rejected"
	fi
done
expect_exact "v6trace -w t.v6t --file-mode <Tab>" "0600 0640" "$bin" -w t.v6t --file-mode ""
expect_exact "v6trace --metrics m.prom --metrics-interval <Tab> (seconds: nothing to offer)" "" \
	"$bin" --metrics m.prom --metrics-interval ""

# Files: recordings (and their rotated parts) first, any file when there is none.
work=$(mktemp -d)
mkdir -p "$work/rec/older" "$work/norec" "$work/cg/ctr1"
touch "$work/rec/incident.v6t" "$work/rec/incident.v6t.1" "$work/rec/incident.v6t.12" \
	"$work/rec/notes.txt" "$work/rec/incident.v6t.bak" "$work/norec/trace.bin" \
	"$work/cg/cgroup.procs"
cd "$work/rec" || exit 1
expect_exact "v6trace -r <Tab> among recordings" \
	"incident.v6t incident.v6t.1 incident.v6t.12 older" "$bin" -r ""
expect_exact "v6trace --read inc" "incident.v6t incident.v6t.1 incident.v6t.12" "$bin" --read inc
expect_exact "v6trace -w <Tab> among recordings" \
	"incident.v6t incident.v6t.1 incident.v6t.12 older" "$bin" -w ""
expect_exact "v6trace -r n (no recording matches: any file)" "notes.txt" "$bin" -r n
cd "$work/norec" || exit 1
expect_exact "v6trace -r <Tab> with no recording here: any file" "trace.bin" "$bin" -r ""
cd "$work" || exit 1
expect_exact "v6trace --cgroup cg/ (directories only)" "cg/ctr1" "$bin" --cgroup cg/
mkdir -p "$work/textfile/sub"
touch "$work/textfile/v6trace.prom" "$work/textfile/notes.txt"
cd "$work/textfile" || exit 1
expect_exact "v6trace -q --metrics <Tab> (.prom files and directories)" "sub v6trace.prom" \
	"$bin" -q --metrics ""
cd / || exit 1

# Processes: pids and the kernel's task names.
expect_has "v6trace -p <Tab>" "$$" "$bin" -p ""
expect_has "v6trace -c <Tab>" "$(cat /proc/$$/comm)" "$bin" -c ""

# Network namespaces: our own inode, a new namespace's inode, and a named one by path.
expect_has "v6trace -N <Tab> offers our namespace" "$(stat -L -c %i /proc/self/ns/net)" "$bin" -N ""
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null && command -v ip >/dev/null; then
	own=$(stat -L -c %i /proc/self/ns/net)
	unshare --net sleep 60 &
	netns_pid=$!
	for _ in $(seq 50); do
		other=$(stat -L -c %i "/proc/$netns_pid/ns/net" 2>/dev/null)
		[ -n "$other" ] && [ "$other" != "$own" ] && break
		sleep 0.1
	done
	expect_has "v6trace -N <Tab> offers a new namespace (unshare --net)" "$other" "$bin" -N ""
	netns_name=v6trace-comp-$$
	if ip netns add "$netns_name"; then
		expect_has "v6trace -N <Tab> offers a named namespace" "/run/netns/$netns_name" "$bin" -N ""
		expect_exact "v6trace -N /run/netns/v6trace-comp-" "/run/netns/$netns_name" \
			"$bin" -N /run/netns/v6trace-comp-
	else
		fail "ip netns add $netns_name failed"
	fi
else
	echo "skip -N with new namespaces: needs root, unshare and ip"
fi

finish
