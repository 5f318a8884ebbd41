#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Where v6trace's time goes during an accept storm (a companion to bench/run.sh, which says how
# much; see BENCHMARKS.md). Needs root, a built v6trace and bench/run.sh's loadgen.
#
#   user space  valgrind --tool=callgrind on a replay of a storm recording: instructions per
#               function, exactly repeatable (hardware counters are absent on these VMs)
#   kernel      perf record -a -g -e cpu-clock during one storm traced by v6trace -j: samples
#               per symbol, to weigh the BPF program, the ring buffer and the wake-ups
#
# Usage: bench/profile.sh [-n CONNECTIONS]   (default 40000); writes .output/bench/profile/
set -euo pipefail
export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$TOP/.output/bench}/profile
V6TRACE=${V6TRACE:-$TOP/.output/v6trace}
LOADGEN=${BENCH_OUT:-$TOP/.output/bench}/loadgen
CONNS=40000

while getopts "n:" opt; do
	case $opt in
	n) CONNS=$OPTARG ;;
	*) exit 2 ;;
	esac
done
[[ $CONNS =~ ^[1-9][0-9]*$ ]] || { echo "profile: -n wants a positive number" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "profile: needs root" >&2; exit 1; }
[[ -x $LOADGEN && -x $V6TRACE ]] || { echo "profile: run make and bench/run.sh first" >&2; exit 1; }
"$TOP/scripts/install-deps.sh" valgrind linux-perf
mkdir -p "$OUT"
rm -f "$OUT"/*

declare -a OUR_PIDS=()
cleanup() {
	local pid
	for pid in "${OUR_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
}
trap cleanup EXIT

mkfifo "$OUT/ready.fifo" "$OUT/go.fifo"
exec {RFD}<>"$OUT/ready.fifo" {GO}<>"$OUT/go.fifo"
rm "$OUT/ready.fifo" "$OUT/go.fifo"

# One storm traced by v6trace ($@ are its output options) writing to $2; perf, if $1 is 1,
# samples the whole machine meanwhile.
traced_storm() {
	local perf=$1 out=$2 line ns lpid tpid ppid=""
	shift 2
	"$LOADGEN" -n "$CONNS" -g 3 -t 120 3<&"$GO" >"$OUT/load.json" &
	lpid=$!
	OUR_PIDS+=("$lpid")
	# the first line is the namespace; bounded: loadgen prints it at once or fails
	for ((i = 0; i < 100; i++)); do
		[[ -s $OUT/load.json ]] && break
		sleep 0.05
	done
	read -r line <"$OUT/load.json"
	[[ $line =~ \"netns\":([0-9]+) ]] || { echo "profile: loadgen said: $line" >&2; exit 1; }
	ns=${BASH_REMATCH[1]}
	"$V6TRACE" -N "$ns" --ready-fd 3 "$@" 3>&"$RFD" >"$out" 2>"$OUT/v6trace.err" &
	tpid=$!
	OUR_PIDS+=("$tpid")
	if ! IFS= read -r -t 30 -u "$RFD" line || [[ $line != ready ]]; then
		echo "profile: v6trace not ready: $(cat "$OUT/v6trace.err")" >&2
		exit 1
	fi
	if ((perf)); then
		perf record -q -a -g -e cpu-clock -F 4999 -o "$OUT/perf.data" 2>"$OUT/perf.err" &
		ppid=$!
		OUR_PIDS+=("$ppid")
		# perf has no ready signal: its header written means it is recording
		for ((i = 0; i < 100; i++)); do
			[[ -s $OUT/perf.data ]] && break
			sleep 0.05
		done
	fi
	printf g >&"$GO"
	wait "$lpid" || true
	if [[ -n $ppid ]]; then
		kill -INT "$ppid"
		wait "$ppid" || true
	fi
	kill -INT "$tpid"
	wait "$tpid" || true
	echo "load: $(tail -1 "$OUT/load.json")"
}

echo "== recording a storm of $CONNS connections for the user-space profile"
traced_storm 0 /dev/null -q -w "$OUT/storm.v6t"
for mode in json text; do
	args=()
	[[ $mode == json ]] && args=(-j)
	valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.$mode" \
		"$V6TRACE" -r "$OUT/storm.v6t" "${args[@]}" >/dev/null 2>"$OUT/callgrind.$mode.log"
	events=$("$V6TRACE" -r "$OUT/storm.v6t" -j | wc -l)
	total=$(awk '/Collected :/ { print $NF }' "$OUT/callgrind.$mode.log")
	echo "== replay as $mode: $total instructions for $events events, $((total / events)) per event"
	# awk, not head: an early-closed pipe would end the script under pipefail
	callgrind_annotate "$OUT/callgrind.$mode" 2>/dev/null |
		awk '/file:function/ { on = 1; getline; next } on && NF && n++ < 12'
done

echo "== kernel and user samples during a storm traced by v6trace -j (perf, cpu-clock, all CPUs)"
traced_storm 1 "$OUT/storm.jsonl" -j
perf report -i "$OUT/perf.data" --no-children --sort comm,sym --stdio -g none 2>/dev/null |
	awk '/^ +[0-9.]+%/ && n++ < 30'
echo "profile: everything is in $OUT"
