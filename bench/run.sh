#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The v6trace benchmark (make bench; BENCHMARKS.md explains every figure). In one run, with the
# configurations alternated round by round, since these machines are shared and noisy and only
# medians of interleaved rounds compare:
#
#   a. accept storm (bench/loadgen.c) untraced, and traced by v6trace: text to a file, JSON to
#      a file, -q -w recording; throughput ratio, accepts captured, events lost
#   b. the same storm traced by an equivalent bpftrace script
#   c. the tax on unrelated syscalls (getppid loop, pipe ping-pong) of each tracer being attached
#   d. exec to ready: v6trace --ready-fd, bpftrace "Attaching N probes" and its BEGIN probe
#   e. BPF run time per program (kernel.bpf_stats_enabled, restored afterwards)
#   f. tracer peak RSS and CPU per 10,000 events
#
# Every tracer is filtered to the load's own network namespace and is waited for (its ready
# line) before the load starts: no sleep decides anything. Every wait is bounded.
#
# Usage: bench/run.sh [-r ROUNDS] [-n CONNECTIONS] [-k CLIENTS] [-s SYSCALLS] [-p ROUND_TRIPS]
#                     [-q] [-I] [-W QUIET_WAIT_S] [-K]
#   -q  quick smoke run (2 rounds, small counts); -I  do not install Debian packages;
#   -W  how long to wait for foreign tracers/benchmarks to finish first (default 120 s);
#   -K  keep the scratch directory
set -euo pipefail
export LC_ALL=C	# EPOCHREALTIME's decimal point and awk's numbers must not follow a locale

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${BENCH_OUT:-$TOP/.output/bench}
V6TRACE=${V6TRACE:-$TOP/.output/v6trace}
LOADGEN_SRC=$TOP/bench/loadgen.c
LOADGEN=$OUT/loadgen
BPFTRACE=${BPFTRACE:-bpftrace}

ROUNDS=5
CONNS=40000
CLIENTS=4
SYSCALLS=1000000
ROUND_TRIPS=150000
INSTALL=1
QUIET_WAIT=120
KEEP=0
CMDLINE="bench/run.sh $*"

usage() {
	sed -n '/^# Usage:/,/^# *-K/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

while getopts "r:n:k:s:p:qIW:Kh" opt; do
	case $opt in
	r) ROUNDS=$OPTARG ;;
	n) CONNS=$OPTARG ;;
	k) CLIENTS=$OPTARG ;;
	s) SYSCALLS=$OPTARG ;;
	p) ROUND_TRIPS=$OPTARG ;;
	q) ROUNDS=2 CONNS=4000 SYSCALLS=200000 ROUND_TRIPS=5000 ;;
	I) INSTALL=0 ;;
	W) QUIET_WAIT=$OPTARG ;;
	K) KEEP=1 ;;
	*) usage ;;
	esac
done
for v in ROUNDS CONNS CLIENTS SYSCALLS ROUND_TRIPS QUIET_WAIT; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || {
		echo "bench: $v must be a positive number, not '${!v}'" >&2
		exit 2
	}
done

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}

[[ $(id -u) -eq 0 ]] || die "needs root (BPF, network namespaces, kernel.bpf_stats_enabled)"
[[ -x $V6TRACE ]] || die "$V6TRACE is not built: run make first"

# --- set-up -------------------------------------------------------------------------------

if ((INSTALL)); then
	# bpftool comes with the build dependencies (make deps); the rest only the benchmark needs
	"$TOP/scripts/install-deps.sh" bpftrace python3 gcc libc6-dev bpftool procps
fi
for tool in "$BPFTRACE" python3 gcc bpftool; do
	command -v "$tool" >/dev/null || die "$tool is missing (run without -I to install it)"
done

mkdir -p "$OUT"
# the project's warning set (Makefile WARNINGS), so the load generator is held to the same bar
gcc -O2 -g -std=gnu11 -pthread -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes \
	-Wstrict-prototypes -Wundef -Wformat=2 -Wpointer-arith -Wcast-qual \
	"$LOADGEN_SRC" -o "$LOADGEN.tmp"
mv "$LOADGEN.tmp" "$LOADGEN"

WORK=$(mktemp -d "$OUT/run.XXXXXX")
RESULTS=$WORK/results.jsonl
NOTES=$WORK/notes.txt
: >"$RESULTS"
: >"$NOTES"
note() {
	log "$*"
	printf '%s\n' "$*" >>"$NOTES"
}

# Everything we start is recorded here, so the exit trap ends exactly those and nothing else.
declare -a OUR_PIDS=()
MOUNTED_TRACEFS=0
STATS_OLD=""
cleanup() {
	local pid
	for pid in "${OUR_PIDS[@]}"; do
		kill -KILL "$pid" 2>/dev/null || true
	done
	if [[ -n $STATS_OLD ]]; then
		sysctl -q -w "kernel.bpf_stats_enabled=$STATS_OLD" || true
	fi
	if ((MOUNTED_TRACEFS)); then
		umount /sys/kernel/tracing 2>/dev/null || true
	fi
	if ((KEEP)); then
		log "scratch files kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# One FIFO opened read-write: tracers get a copy of it as their ready fd, and we read it with
# a timeout. Holding both ends means no open() ever blocks; liveness is checked separately.
mkfifo "$WORK/ready.fifo"
exec {RFD}<>"$WORK/ready.fifo"
rm "$WORK/ready.fifo"

if ! mountpoint -q /sys/kernel/tracing; then
	mount -t tracefs nodev /sys/kernel/tracing
	MOUNTED_TRACEFS=1
	note "mounted tracefs on /sys/kernel/tracing for bpftrace (v6trace needs none); unmounted at the end"
fi

alive() {
	local st
	[[ -r /proc/$1/stat ]] || return 1
	st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	st=${st##*) }
	[[ ${st:0:1} != Z ]]
}

# Reads one line from fd $1 into LINE within $3 seconds, while process $2 lives.
wait_line() {
	local fd=$1 pid=$2 deadline=$((SECONDS + $3)) part=""
	LINE=""
	while ((SECONDS < deadline)); do
		if IFS= read -r -t 0.2 -u "$fd" LINE; then
			LINE=$part$LINE
			return 0
		fi
		# read reads a pipe byte by byte: a timeout can fall inside a line, keep its start
		part+=$LINE
		alive "$pid" || {
			# the line may have been written just before the exit
			if IFS= read -r -t 0.2 -u "$fd" LINE; then
				LINE=$part$LINE
				return 0
			fi
			return 1
		}
	done
	return 1
}

# CPU time of every thread of a process in ns (schedstat: exact, not in clock ticks).
cpu_ns() {
	local f ns total=0
	for f in /proc/"$1"/task/*/schedstat; do
		read -r ns _ <"$f" 2>/dev/null || continue
		total=$((total + ns))
	done
	echo "$total"
}

# utime and stime in clock ticks, the user/system split that schedstat does not give.
user_sys_ticks() {
	local st f
	st=$(<"/proc/$1/stat")
	st=${st##*) }
	read -ra f <<<"$st"
	echo "${f[11]} ${f[12]}"
}

peak_rss_kib() {
	awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"
}

# Context switches of every thread: how often the consumer went to sleep and was woken.
ctx_switches() {
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}

usec() { echo "${1/./}"; }

# SIGINT, then a bounded wait for the exit (a zombie counts as exited); SIGKILL as a last resort.
stop_pid() {
	local pid=$1 i rc=0
	kill -INT "$pid" 2>/dev/null || true
	for ((i = 0; i < 500; i++)); do
		alive "$pid" || break
		sleep 0.02
	done
	if alive "$pid"; then
		# where it is stuck, thread by thread, for whoever reads the notes
		note "$2 did not stop within 10 s of SIGINT: killed; threads (comm wchan): $(
			for t in /proc/"$pid"/task/*; do
				printf '%s %s; ' "$(cat "$t/comm" 2>/dev/null)" "$(cat "$t/wchan" 2>/dev/null)"
			done)"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" || rc=$?
	STOP_RC=$rc
}

# --- the machine must be ours ---------------------------------------------------------------

# Tracing programs attached by someone else tax every syscall of our baseline too.
# Debian 12's bpftool lists no owner pids, so owners are found through /proc/*/fdinfo.
foreign_tracers() {
	bpftool prog show -j 2>/dev/null | python3 -c '
import glob, json, os, sys
kinds = ("tracing", "raw_tracepoint", "tracepoint", "kprobe", "perf_event")
progs = {p["id"]: p.get("name", "?") for p in json.load(sys.stdin) if p.get("type") in kinds}
owners = {}
for fd in glob.glob("/proc/[0-9]*/fd/*"):
    try:
        if "bpf" not in os.readlink(fd):
            continue
        pid = fd.split("/")[2]
        for line in open(fd.replace("/fd/", "/fdinfo/")):
            if line.startswith("prog_id:") and int(line.split()[1]) in progs:
                comm = open(f"/proc/{pid}/comm").read().strip()
                owners.setdefault(f"{comm}[{pid}]", set()).add(progs[int(line.split()[1])])
    except (OSError, ValueError):
        pass
held = " ".join(o + ": " + "/".join(sorted(n)) for o, n in sorted(owners.items()))
owned = set().union(*owners.values()) if owners else set()
# a program whose process is gone is still being freed (ours, just stopped, most likely)
orphans = sorted(n for n in progs.values() if n not in owned)
print(held + (" being freed: " + "/".join(orphans) if orphans and not held else ""))'
}

# The ids of the BPF programs a process holds, as a JSON array.
prog_ids() {
	local f ids=""
	for f in /proc/"$1"/fdinfo/*; do
		ids+=$(awk '/^prog_id:/ { printf ",%s", $2 }' "$f" 2>/dev/null || true)
	done
	echo "[${ids#,}]"
}

foreign_loads() {
	# other benchmarks running now would share our cores; our own subshells share our group
	ps -eo pid=,pgid=,args= | awk -v pg="$(ps -o pgid= $$)" '
		$2 != pg + 0 && $0 ~ /(acceptstorm|bench\/run\.(py|sh)|loadgen -m)/ {
			printf "%s;", substr($0, 1, 120) }'
}

wait_for_quiet() {
	local deadline=$((SECONDS + QUIET_WAIT)) t l
	while :; do
		t=$(foreign_tracers)
		l=$(foreign_loads)
		[[ -z $t && -z $l ]] && return 0
		if ((SECONDS >= deadline)); then
			note "WARNING: not alone on this machine: tracers attached: ${t:-none}; other loads: ${l:-none}"
			return 0
		fi
		log "waiting (up to ${QUIET_WAIT}s) for foreign tracers/benchmarks to finish: ${t} ${l}"
		sleep 5
	done
}

# --- the load ---------------------------------------------------------------------------------

# Starts the load generator paused; sets LG_PID, LOAD_NS, LOAD_IN, LOAD_OUT.
start_load() {
	local mode=$1 n=$2
	coproc LOAD { exec "$LOADGEN" -m "$mode" -n "$n" -k "$CLIENTS" -t 300; }
	# copies: bash closes a coprocess's own fds as soon as it exits, before we read its result
	exec {LOAD_OUT}<&"${LOAD[0]}" {LOAD_IN}>&"${LOAD[1]}"
	# a copy too: bash unsets LOAD_PID when it reaps the coprocess
	LG_PID=$LOAD_PID
	OUR_PIDS+=("$LG_PID")
	wait_line "$LOAD_OUT" "$LG_PID" 30 || die "loadgen did not start"
	[[ $LINE =~ \"netns\":([0-9]+) ]] || die "loadgen said: $LINE"
	LOAD_NS=${BASH_REMATCH[1]}
}

# Sends the go byte and reads the result line into LOAD_RESULT.
run_load() {
	printf 'g' >&"$LOAD_IN"
	wait_line "$LOAD_OUT" "$LG_PID" 600 || die "loadgen ($1) gave no result"
	LOAD_RESULT=$LINE
	wait "$LG_PID" || note "loadgen ($1) exited with status $?: $LOAD_RESULT"
	exec {LOAD_OUT}<&- {LOAD_IN}>&-
}

# --- the tracers ------------------------------------------------------------------------------

# v6trace on the load's namespace; sets TPID and STARTUP_MS.
start_v6trace() {
	local out=$1 err=$2 t0
	shift 2
	t0=$EPOCHREALTIME
	"$V6TRACE" -N "$LOAD_NS" --ready-fd 3 "$@" >"$out" 2>"$err" 3>&"$RFD" \
		{LOAD_IN}>&- {LOAD_OUT}<&- &
	TPID=$!
	OUR_PIDS+=("$TPID")
	if ! wait_line "$RFD" "$TPID" 30 || [[ $LINE != ready ]]; then
		die "v6trace $* did not become ready: $(head -c 2000 "$err")"
	fi
	STARTUP_MS=$((($(usec "$EPOCHREALTIME") - $(usec "$t0")) / 1000))
}

# The bpftrace equivalent: accept and accept4 returns in the load's namespace, pid, comm, fd.
bpftrace_script() {
	cat <<EOF
tracepoint:syscalls:sys_exit_accept4, tracepoint:syscalls:sys_exit_accept
/curtask->nsproxy->net_ns->ns.inum == $1/
{
	printf("%d %s accept %d\n", pid, comm, args->ret);
}
BEGIN { printf("ready\n"); }
EOF
}

# bpftrace's stdout goes through here: the first two lines are timed (its "Attaching N
# probes..." is printed before attaching, BEGIN's line after every probe is attached), the
# rest is copied to the output file; "done" says the copy is complete.
bpftrace_reader() {
	local out=$1 line
	while IFS= read -r line; do
		case $line in
		Attaching*) printf 'attaching %s\n' "$EPOCHREALTIME" >&3 ;;
		ready)
			printf 'ready %s\n' "$EPOCHREALTIME" >&3
			break
			;;
		esac
	done
	cat >"$out"
	printf 'done\n' >&3
}

# Sets TPID, STARTUP_MS (to BEGIN) and ATTACH_MS (to "Attaching").
start_bpftrace() {
	local out=$1 err=$2 t0 t_attach=""
	t0=$EPOCHREALTIME
	"$BPFTRACE" -e "$(bpftrace_script "$LOAD_NS")" 2>"$err" {LOAD_IN}>&- {LOAD_OUT}<&- \
		> >(bpftrace_reader "$out" 3>&"$RFD") &
	TPID=$!
	OUR_PIDS+=("$TPID")
	while wait_line "$RFD" "$TPID" 60; do
		case $LINE in
		attaching*) t_attach=${LINE#attaching } ;;
		ready*) break ;;
		*) die "bpftrace did not start (got '$LINE'): $(head -c 2000 "$err")" ;;
		esac
	done
	[[ $LINE == ready* ]] || die "bpftrace did not become ready: $(head -c 2000 "$err")"
	STARTUP_MS=$((($(usec "${LINE#ready }") - $(usec "$t0")) / 1000))
	ATTACH_MS=-1
	[[ -n $t_attach ]] && ATTACH_MS=$((($(usec "$t_attach") - $(usec "$t0")) / 1000))
	return 0
}

stop_bpftrace() {
	stop_pid "$TPID" "bpftrace ($1)"
	if ! wait_line "$RFD" $$ 30 || [[ $LINE != "done" ]]; then
		note "bpftrace's output copy did not finish"
	fi
}

# --- counting what the tracers saw ------------------------------------------------------------

# Sets ACCEPTS, EVENTS and LOST from a v6trace output (text or JSON) and its stderr.
count_v6trace() {
	local out=$1 err=$2 json=$3
	if ((json)); then
		read -r ACCEPTS EVENTS LOST < <(awk '
			/"event":"lost"/ { match($0, /"count":[0-9]+/); lost += substr($0, RSTART + 8, RLENGTH - 8); next }
			/"event":"accept"/ { acc++ }
			/^\{/ { ev++ }
			END { print acc + 0, ev + 0, lost + 0 }' "$out")
	else
		read -r ACCEPTS EVENTS < <(awk '
			NR == 1 && /^TIME / { next }
			$4 == "accept" { acc++ }
			{ ev++ }
			END { print acc + 0, ev + 0 }' "$out")
		# text mode reports losses on stderr: "v6trace: lost N events (...), T in total"
		LOST=$(awk '/^v6trace: lost [0-9]+ events/ { n += $3 } END { print n + 0 }' "$err")
	fi
}

# --- one measurement --------------------------------------------------------------------------

# Appends {"section":...,"config":...,"round":...,"load":{loadgen's line},"tracer":{...}}.
emit() {
	local section=$1 config=$2 round=$3 tracer=$4
	printf '{"section":"%s","config":"%s","round":%s,"load":%s,"tracer":%s}\n' \
		"$section" "$config" "$round" "$LOAD_RESULT" "$tracer" >>"$RESULTS"
}

# One run of a load (storm, getppid or pipe) under one configuration. With $4 = 1, the BPF
# programs' run_time_ns/run_cnt are snapshotted around the load (bpf_stats_enabled is on).
measure() {
	local section=$1 config=$2 round=$3 stats=${4:-0} mode n out err cpu0 cpu1 ticks0 ticks1
	local hwm accepts events lost json extra tracer u0 s0 u1 s1 ids cs0 cs1
	case $section in
	storm) mode=storm n=$CONNS ;;
	getppid) mode=getppid n=$SYSCALLS ;;
	pipe) mode=pipe n=$ROUND_TRIPS ;;
	esac
	out=$WORK/out.$section.$config
	err=$WORK/err.$section.$config
	start_load "$mode" "$n"
	case $config in
	untraced)
		run_load "$section/$config"
		emit "$section" "$config" "$round" null
		return
		;;
	text) start_v6trace "$out" "$err" ;;
	json) start_v6trace "$out" "$err" -j ;;
	record) start_v6trace "$out" "$err" -q -w "$WORK/storm.v6t" ;;
	# unrelated work: nothing to report, so no snapshot of this namespace's sockets either
	v6trace) start_v6trace "$out" "$err" -j --no-snapshot ;;
	bpftrace) start_bpftrace "$out" "$err" ;;
	*) die "unknown configuration $config" ;;
	esac
	((stats)) && bpftool prog show -j >"$WORK/progs.$section.$config.before"
	ids=$(prog_ids "$TPID")
	cpu0=$(cpu_ns "$TPID")
	ticks0=$(user_sys_ticks "$TPID")
	cs0=$(ctx_switches "$TPID")
	run_load "$section/$config"
	# before SIGINT: what the tracer spent while the load ran, not its start-up or teardown
	cpu1=$(cpu_ns "$TPID")
	ticks1=$(user_sys_ticks "$TPID")
	cs1=$(ctx_switches "$TPID")
	hwm=$(peak_rss_kib "$TPID")
	((stats)) && bpftool prog show -j >"$WORK/progs.$section.$config.after"
	extra=""
	if [[ $config == bpftrace ]]; then
		stop_bpftrace "$section/$config"
		accepts=$(grep -c ' accept ' "$out" || true)
		events=$accepts
		# bpftrace reports perf-buffer losses as "Lost N events"
		lost=$(cat "$out" "$err" | awk '/Lost [0-9]+ events/ { for (i = 1; i < NF; i++) if ($i == "Lost") n += $(i + 1) } END { print n + 0 }')
		extra=",\"attach_ms\":$ATTACH_MS"
	else
		stop_pid "$TPID" "v6trace ($section/$config)"
		[[ $STOP_RC -eq 0 ]] || note "v6trace ($section/$config) exited with $STOP_RC: $(head -c 500 "$err")"
		json=0
		if [[ $config == record ]]; then
			extra=",\"file_bytes\":$(stat -c %s "$WORK/storm.v6t")"
			# the replay is the reader's job, not part of what recording costs
			"$V6TRACE" -r "$WORK/storm.v6t" -j >"$out" 2>>"$err"
			json=1
		elif [[ $config != text ]]; then
			json=1
		fi
		count_v6trace "$out" "$err" "$json"
		accepts=$ACCEPTS events=$EVENTS lost=$LOST
	fi
	read -r u0 s0 <<<"$ticks0"
	read -r u1 s1 <<<"$ticks1"
	tracer=$(printf '{"pid":%d,"prog_ids":%s,"startup_ms":%d,"cpu_ns":%d,"user_ticks":%d,"sys_ticks":%d,"rss_kib":%d,"ctx_switches":%d,"accepts":%d,"events":%d,"lost":%d,"exit":%d%s}' \
		"$TPID" "$ids" "$STARTUP_MS" $((cpu1 - cpu0)) $((u1 - u0)) $((s1 - s0)) "${hwm:-0}" \
		$((cs1 - cs0)) \
		"$accepts" "$events" "$lost" "$STOP_RC" "$extra")
	emit "$section" "$config" "$round" "$tracer"
	if [[ $config == record && $round == 1 ]]; then
		# kept for profiling the reader: valgrind --tool=callgrind v6trace -r storm.v6t -j
		cp "$WORK/storm.v6t" "$OUT/storm.v6t"
	fi
	rm -f "$out" "$err" "$WORK/storm.v6t"
}

# Rotates a list by $1 places, so no configuration always runs first or last in a round.
rotate() {
	local k=$(($1 % ($# - 1)))
	shift
	local -a a=("$@")
	echo "${a[@]:k}" "${a[@]:0:k}"
}

# --- the run ----------------------------------------------------------------------------------

wait_for_quiet
START=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$SECONDS
log "$ROUNDS rounds: storm of $CONNS connections ($CLIENTS clients), $SYSCALLS getppid, $ROUND_TRIPS pipe round trips"

for ((r = 1; r <= ROUNDS; r++)); do
	t=$(foreign_tracers)
	[[ -z $t ]] || note "round $r: foreign tracers attached: $t"
	for c in $(rotate "$r" untraced text json record bpftrace); do
		measure storm "$c" "$r"
	done
	for c in $(rotate "$r" untraced v6trace bpftrace); do
		measure getppid "$c" "$r"
	done
	for c in $(rotate "$((r + 1))" untraced v6trace bpftrace); do
		measure pipe "$c" "$r"
	done
	log "round $r/$ROUNDS done ($((SECONDS - T_START)) s)"
done

# e. BPF run time per program: bpf_stats_enabled adds two clock reads to every run, so these
# runs are kept apart from the throughput rounds above.
STATS_OLD=$(sysctl -n kernel.bpf_stats_enabled)
sysctl -q -w kernel.bpf_stats_enabled=1
measure storm json 0 1
measure getppid v6trace 0 1
measure storm bpftrace 0 1
measure getppid bpftrace 0 1
sysctl -q -w "kernel.bpf_stats_enabled=$STATS_OLD"
STATS_OLD=""
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
t=$(foreign_tracers)
[[ -z $t ]] || note "at the end: foreign tracers attached: $t"

# --- the report -------------------------------------------------------------------------------

export RESULTS NOTES WORK START CMDLINE ROUNDS CONNS CLIENTS SYSCALLS ROUND_TRIPS LOAD_BEFORE LOAD_AFTER
export ELAPSED=$((SECONDS - T_START))
export MACHINE_CPUS MODEL KERNEL V6T_VERSION BPFTRACE_VERSION GIT_REV
MACHINE_CPUS=$(nproc)
MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
KERNEL=$(uname -r)
V6T_VERSION=$("$V6TRACE" --version | head -1)
BPFTRACE_VERSION=$("$BPFTRACE" --version | head -1)
GIT_REV=$(git -C "$TOP" describe --always --dirty 2>/dev/null || echo unknown)

python3 - "$OUT/results.md" <<'PY'
import glob, json, os, statistics, sys

env = os.environ
runs = [json.loads(l) for l in open(env["RESULTS"])]
notes = [l.rstrip("\n") for l in open(env["NOTES"]) if l.strip()]
rounds = [r for r in runs if r["round"] > 0]
stats_runs = [r for r in runs if r["round"] == 0]


def sel(section, config):
    return [r for r in rounds if r["section"] == section and r["config"] == config]


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def rng(xs, fmt):
    return f"{fmt.format(min(xs))}-{fmt.format(max(xs))}" if xs else "-"


def per_round_ratios(section, config, base="untraced"):
    """traced/base of the same round: pairs run minutes apart are not compared"""
    b = {r["round"]: r["load"]["per_second"] for r in sel(section, base)}
    return [r["load"]["per_second"] / b[r["round"]] for r in sel(section, config) if r["round"] in b]


out = []
p = out.append
p("# v6trace benchmark results\n")
p(f"- date: {env['START']}, {env['ELAPSED']} s")
p(f"- machine: {env['MACHINE_CPUS']} CPUs, {env['MODEL']}; kernel {env['KERNEL']}; "
  f"load average before/after: {env['LOAD_BEFORE']} / {env['LOAD_AFTER']}")
p(f"- {env['V6T_VERSION']} (tree {env['GIT_REV']}), tracepoint backend; {env['BPFTRACE_VERSION']}")
p(f"- command: `{env['CMDLINE']}`: {env['ROUNDS']} rounds, configurations alternated within each; "
  f"storm of {env['CONNS']} connections from {env['CLIENTS']} client threads; "
  f"{env['SYSCALLS']} getppid calls; {env['ROUND_TRIPS']} pipe round trips")
for n in notes:
    p(f"- note: {n}")

# a. and b. the storm
p("\n## Accept storm: throughput, capture, loss, tracer cost\n")
p("| configuration | median conn/s | ratio to untraced (median; per-round range) | "
  "accepts captured / accepted | events per connection | lost | tracer CPU ms per 10k events "
  "(user share) | events per tracer wake-up | peak RSS MiB | exec to ready ms (median) |")
p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
names = {"untraced": "untraced (baseline)", "text": "v6trace, text to a file",
         "json": "v6trace -j, JSON to a file", "record": "v6trace -q -w FILE",
         "bpftrace": "bpftrace script (accept only)"}
medians = {}
for c in ("untraced", "text", "json", "record", "bpftrace"):
    rs = sel("storm", c)
    if not rs:
        continue
    m = medians[c] = med([r["load"]["per_second"] for r in rs])
    accepted = sum(r["load"]["accepted"] for r in rs)
    if c == "untraced":
        drops = sum(r["load"]["made"] - r["load"]["accepted"] for r in rs)
        p(f"| {names[c]} | {m:,.0f} | 1 | - (accepted {accepted:,}, dropped {drops}) | - | - | - | - | - | - |")
        continue
    ratios = per_round_ratios("storm", c)
    t = [r["tracer"] for r in rs]
    acc = sum(x["accepts"] for x in t)
    ev = sum(x["events"] for x in t)
    lost = sum(x["lost"] for x in t)
    cpu = med([x["cpu_ns"] / 1e6 / x["events"] * 1e4 for x in t if x["events"]])
    ticks = sum(x["user_ticks"] + x["sys_ticks"] for x in t)
    user = f"{100 * sum(x['user_ticks'] for x in t) / ticks:.0f}%" if ticks else "-"
    rss = max(x["rss_kib"] for x in t) / 1024
    batch = med([x["events"] / x["ctx_switches"] for x in t if x["ctx_switches"]])
    p(f"| {names[c]} | {m:,.0f} | {m / medians['untraced']:.3f}; {rng(ratios, '{:.2f}')} | "
      f"{acc:,} / {accepted:,} | {ev / accepted:.2f} | {lost} | {cpu:.1f} ({user}) | {batch:.1f} | "
      f"{rss:.1f} | "
      f"{med([x['startup_ms'] for x in t]):.0f} |")
if "bpftrace" in medians:
    p("\nv6trace throughput relative to bpftrace (ratio of medians; >1: v6trace costs less): " +
      ", ".join(f"{names[c]} {medians[c] / medians['bpftrace']:.3f}"
                for c in ("text", "json", "record") if c in medians))

# c. the tax on unrelated work
p("\n## Tax on unrelated syscalls (tracer attached, filtered to the load's namespace, no events)\n")
p("| workload | untraced, median | v6trace attached | ratio (per-round range) | "
  "bpftrace attached | ratio (per-round range) |")
p("|---|---:|---:|---:|---:|---:|")
for s, unit in (("getppid", "syscalls/s"), ("pipe", "round trips/s")):
    u = med([r["load"]["per_second"] for r in sel(s, "untraced")])
    row = f"| {s} ({unit}) | {u:,.0f} |"
    for c in ("v6trace", "bpftrace"):
        t = med([r["load"]["per_second"] for r in sel(s, c)])
        row += f" {t:,.0f} | {t / u:.3f} ({rng(per_round_ratios(s, c), '{:.2f}')}) |"
    p(row)
ns = {s: {c: med([1e9 / r["load"]["per_second"] for r in sel(s, c)]) for c in ("untraced", "v6trace", "bpftrace")}
      for s in ("getppid",)}
g = ns["getppid"]
p(f"\nPer getppid call: {g['untraced']:.0f} ns untraced, +{g['v6trace'] - g['untraced']:.0f} ns with "
  f"v6trace attached, +{g['bpftrace'] - g['untraced']:.0f} ns with bpftrace attached (medians).")

# d. start-up
p("\n## Start-up: exec to attached and ready (ms)\n")
p("| tracer | median | range | runs |")
p("|---|---:|---:|---:|")
v6_default = [r["tracer"]["startup_ms"] for r in rounds if r["section"] == "storm" and r["config"] in ("text", "json", "record")]
v6_nosnap = [r["tracer"]["startup_ms"] for r in rounds if r["config"] == "v6trace"]
bt_attach = [r["tracer"]["attach_ms"] for r in rounds if r["config"] == "bpftrace" and r["tracer"].get("attach_ms", -1) >= 0]
bt_begin = [r["tracer"]["startup_ms"] for r in rounds if r["config"] == "bpftrace"]
for label, xs in (("v6trace -N NS --ready-fd (with its snapshot of existing sockets)", v6_default),
                  ("v6trace -N NS --no-snapshot --ready-fd", v6_nosnap),
                  ("bpftrace: \"Attaching N probes...\" printed (before attaching)", bt_attach),
                  ("bpftrace: BEGIN probe printed (every probe attached)", bt_begin)):
    if xs:
        p(f"| {label} | {med(xs):.0f} | {min(xs)}-{max(xs)} | {len(xs)} |")

# e. BPF programs
p("\n## BPF run time per program (kernel.bpf_stats_enabled=1, one run each, not in the rounds above)\n")
p("| run | program (tracer) | runs | runs per connection or syscall | ns per run | "
  "ns per connection or syscall | total ms |")
p("|---|---|---:|---:|---:|---:|---:|")
for r in stats_runs:
    sec, cfg = r["section"], r["config"]
    try:
        before = json.load(open(os.path.join(env["WORK"], f"progs.{sec}.{cfg}.before")))
        after = json.load(open(os.path.join(env["WORK"], f"progs.{sec}.{cfg}.after")))
    except OSError:
        continue
    ids = set(r["tracer"]["prog_ids"])
    b = {x["id"]: x for x in before}
    work = r["load"].get("accepted") or r["load"].get("syscalls") or 1
    for x in after:
        if x["id"] not in ids:
            continue
        y = b.get(x["id"], {})
        cnt = x.get("run_cnt", 0) - y.get("run_cnt", 0)
        t = x.get("run_time_ns", 0) - y.get("run_time_ns", 0)
        unit = "connection" if sec == "storm" else "syscall"
        p(f"| {sec}, {cfg} | {x.get('name', '?')} #{x['id']} ({cfg if cfg == 'bpftrace' else 'v6trace'}) | "
          f"{cnt:,} | {cnt / work:.2f} per {unit} | {t / cnt if cnt else 0:.0f} | {t / work:.0f} | "
          f"{t / 1e6:.1f} |")

# the targets, said plainly
p("\n## Targets\n")
def verdict(ok):
    return "met" if ok else "**missed**"
worst = min((medians[c] / medians["untraced"] for c in ("text", "json", "record") if c in medians), default=float("nan"))
lost_all = sum(r["tracer"]["lost"] for r in rounds if r["section"] == "storm" and r["config"] in ("text", "json", "record"))
missed_acc = sum(r["load"]["accepted"] - r["tracer"]["accepts"] for r in rounds if r["section"] == "storm" and r["config"] in ("text", "json", "record"))
p(f"- throughput >= 0.98 of untraced: {verdict(worst >= 0.98)} (worst v6trace configuration: {worst:.3f})")
p(f"- zero lost: {verdict(lost_all == 0 and missed_acc == 0)} ({lost_all} lost, {missed_acc} accepts missing, over every traced storm)")
if "bpftrace" in medians:
    best = min(medians[c] for c in ("text", "json", "record") if c in medians)
    p(f"- cheaper than bpftrace: {verdict(best > medians['bpftrace'])} (slowest v6trace configuration "
      f"{best:,.0f} conn/s against bpftrace's {medians['bpftrace']:,.0f})")
p(f"- under 150 ms to ready: {verdict(med(v6_default) < 150)} (median {med(v6_default):.0f} ms; "
  f"{med(v6_nosnap):.0f} ms without the snapshot)")

text = "\n".join(out) + "\n"
sys.stdout.write(text)
with open(sys.argv[1], "w") as f:
    f.write(text)
PY
cp "$RESULTS" "$OUT/results.jsonl"
log "table written to $OUT/results.md (raw runs: $OUT/results.jsonl)"
