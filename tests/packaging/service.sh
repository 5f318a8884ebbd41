#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# v6trace-record.service without systemd: runs its ExecStartPre and ExecStart, as written in
# systemd/v6trace-record.service, under the restrictions that decide whether they work:
#   - an unprivileged uid (DynamicUser=yes) with no_new_privs (NoNewPrivileges=yes),
#   - exactly the unit's CapabilityBoundingSet as bounding set and AmbientCapabilities as
#     inheritable and ambient set (setpriv, from util-linux),
#   - a read-only file system except the log directory (ProtectSystem=strict with
#     LogsDirectory=), read-only /proc/sys and /sys (ProtectKernelTunables=yes),
# in a network namespace of its own, with the log directory moved to a temporary one. It checks
# that the recording holds a real bind and listen, that SIGTERM (systemctl stop) ends it with
# status 0, that ExecStartPre keeps the previous run, and that every capability of the unit is
# needed: without any one of them v6trace refuses to start.
# Usage: tests/packaging/service.sh   (from the top of the tree, as root, after `make`)
# Env:   V6TRACE_BIN (default .output/v6trace), V6TRACE_UNIT (default
#        systemd/v6trace-record.service)
# Ends with "service: N passed, M failed"; exit status 1 if anything failed.
set -uo pipefail

bin=$(realpath "${V6TRACE_BIN:-.output/v6trace}")
unit=${V6TRACE_UNIT:-systemd/v6trace-record.service}
service_uid=65534
port=48124
# shellcheck source=tests/tally.sh
. "$(dirname "$0")/../tally.sh"
work=$(mktemp -d)

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	rm -rf "$work"
}
trap cleanup EXIT

finish() {
	echo "service: $passed passed, $failed failed"
	if [ "$failed" -ne 0 ]; then
		exit 1
	fi
	exit 0
}

# The value of KEY= in the unit (the last assignment wins, as in systemd)
unit_value() {
	sed -n "s/^$1=//p" "$unit" | tail -1
}

# The value of NAME in the unit's Environment= ("NAME=VALUE", quoted or not)
unit_env() {
	unit_value Environment | sed -n "s/^\"\{0,1\}$1=\(.*\)/\1/p" | sed 's/"$//'
}

# A command line of the unit as argv, one per line: systemd's "$$" is "$", its quoting is the
# shell's for what this unit uses, $V6TRACE_METRICS_ARGS is $metrics_args, and
# /usr/sbin/v6trace and the log directory are moved to the ones under test.
unit_argv() {
	unit_value "$1" | sed "s|\\\$V6TRACE_METRICS_ARGS|$metrics_args|g" |
		sed "s/\\\$\\\$/\$/g; s|/usr/sbin/v6trace|$bin|g; s|/var/log/v6trace|$logdir|g" |
		python3 -c 'import shlex, sys; print("\n".join(shlex.split(sys.stdin.read())))'
}

# "CAP_BPF CAP_PERFMON" -> "-all,+bpf,+perfmon", as setpriv takes them
# shellcheck disable=SC2317 # also called in the inner shell (declare -f)
to_setpriv() {
	local c out=
	for c in $1; do
		c=${c#CAP_}
		out+=",+${c,,}"
	done
	echo "-all$out"
}

# Runs the rest of its arguments as the service would run, with the capabilities $1. It
# replaces the shell (exec), so call it in a subshell: ( ... ) or &, whose pid is then the
# service's own, as systemd's MainPID is, and gets the SIGTERM of a stop.
# shellcheck disable=SC2317 # called in the inner shell (declare -f)
run_as_service() {
	local set
	set=$(to_setpriv "$1")
	shift
	exec setpriv --reuid="$service_uid" --regid="$service_uid" --clear-groups --no-new-privs \
		--bounding-set="$set" --inh-caps="$set" --ambient-caps="$set" -- "$@"
}

if [ "$(id -u)" -ne 0 ]; then
	fail "needs root (setpriv, namespaces, BPF)"
	finish
fi
for tool in setpriv unshare python3; do
	if ! command -v "$tool" >/dev/null; then
		fail "$tool is not installed"
		finish
	fi
done
if [ ! -x "$bin" ]; then
	fail "$bin is not built (run make)"
	finish
fi

caps=$(unit_value CapabilityBoundingSet)
ambient=$(unit_value AmbientCapabilities)
if [ -n "$caps" ] && [ "$caps" = "$ambient" ]; then
	pass "unit: CapabilityBoundingSet = AmbientCapabilities = $caps"
else
	fail "unit: CapabilityBoundingSet=\"$caps\" but AmbientCapabilities=\"$ambient\""
fi
if [ "$(unit_value DynamicUser)" = yes ] && [ "$(unit_value NoNewPrivileges)" = yes ] &&
	[ "$(unit_value LogsDirectory)" = v6trace ]; then
	pass "unit: DynamicUser=yes, NoNewPrivileges=yes, LogsDirectory=v6trace"
else
	fail "unit: expected DynamicUser=yes, NoNewPrivileges=yes, LogsDirectory=v6trace"
fi

chmod 0755 "$work"
logdir=$work/log
state=$work/state
mkdir "$logdir" "$state"
python=$(command -v /usr/bin/python3 python3 | head -1)
# as the unit is installed: no metrics
metrics_args=$(unit_env V6TRACE_METRICS_ARGS)
if [ -z "$metrics_args" ]; then
	pass "unit: V6TRACE_METRICS_ARGS is empty: no metrics unless asked for"
else
	fail "unit: V6TRACE_METRICS_ARGS=\"$metrics_args\", expected empty"
fi
mapfile -t pre_argv < <(unit_argv ExecStartPre)
mapfile -t start_argv < <(unit_argv ExecStart)
echo "     ExecStartPre: ${pre_argv[*]}"
echo "     ExecStart:    ${start_argv[*]}"

# One start of the service: ExecStartPre, then ExecStart until SIGTERM, in a new network
# namespace and mount namespace; python3 binds [::]:$port once v6trace is attached.
# Leaves pre.rc, start.rc and start.err in $state, the only other writable directory.
start_service() {
	local caps_now=$1
	rm -f "$state/ready" "$state"/*.rc "$state/start.err"
	mkfifo "$state/ready"
	# shellcheck disable=SC2016 # expanded by the inner bash, in the new namespaces
	unshare --net --mount bash -c '
		state=$1 logdir=$2 port=$3
		shift 3
		ip link set lo up
		mount --bind "$logdir" "$logdir"
		mount --bind "$state" "$state"
		mount -o remount,bind,ro /
		mount --bind /proc/sys /proc/sys
		mount -o remount,bind,ro /proc/sys
		mount -o remount,bind,ro /sys
		stat -L -c %i /proc/self/ns/net >"$state/netns"
		"$@"
	' bash "$state" "$logdir" "$port" bash -c '
		state=$1 caps=$2 port=$3 python=$4 npre=$5
		shift 5
		pre=("${@:1:npre}")
		start=("${@:npre+1}")
		. "$state/functions"
		(run_as_service "$caps" "${pre[@]}")
		echo $? >"$state/pre.rc"
		run_as_service "$caps" "${start[@]}" --ready-fd 3 3>"$state/ready" 2>"$state/start.err" &
		tracer=$!
		if timeout 10 head -1 "$state/ready" | grep -q ready; then
			"$python" -c "import socket; s = socket.socket(socket.AF_INET6); s.bind((\"::\", $port)); s.listen()"
			sleep 0.5
			kill -TERM $tracer
		fi
		wait $tracer
		echo $? >"$state/start.rc"
	' bash "$state" "$caps_now" "$port" "$python" "${#pre_argv[@]}" "${pre_argv[@]}" "${start_argv[@]}"
}
# the inner shell needs run_as_service and to_setpriv
{
	declare -f to_setpriv run_as_service
	echo "service_uid=$service_uid"
} >"$state/functions"

# A previous run's files, as a restart finds them
printf 'previous run\n' >"$logdir/trace.v6t"
printf 'previous run, part 1\n' >"$logdir/trace.v6t.1"
chown -R "$service_uid:$service_uid" "$logdir"

start_service "$caps"
if [ "$(cat "$state/pre.rc" 2>/dev/null)" = 0 ]; then
	pass "ExecStartPre exits 0 as uid $service_uid on a read-only root"
else
	fail "ExecStartPre exited $(cat "$state/pre.rc" 2>/dev/null)"
fi
if [ "$(cat "$logdir/previous.trace.v6t" 2>/dev/null)" = "previous run" ] &&
	[ "$(cat "$logdir/previous.trace.v6t.1" 2>/dev/null)" = "previous run, part 1" ] &&
	[ ! -e "$logdir/trace.v6t.1" ]; then
	pass "ExecStartPre kept the previous run: $(cd "$logdir" && echo previous.*)"
else
	fail "ExecStartPre: log directory holds $(ls "$logdir")"
fi
rc=$(cat "$state/start.rc" 2>/dev/null)
if [ "$rc" = 0 ]; then
	pass "ExecStart with $caps as uid $service_uid: ran, and SIGTERM ended it with status 0"
else
	fail "ExecStart exited ${rc:-?}: $(cat "$state/start.err" 2>/dev/null)"
fi

# The recording replays (no privileges needed) and holds python3's bind and listen
netns=$(cat "$state/netns")
if "$bin" -r "$logdir/trace.v6t" -j -N "$netns" -P "$port" >"$work/replay.jsonl" 2>"$work/replay.err"; then
	pass "the recording replays: $(wc -l <"$work/replay.jsonl") events of netns $netns, port $port"
else
	fail "v6trace -r $logdir/trace.v6t: $(cat "$work/replay.err")"
fi
for kind in bind listen; do
	line=$(grep "\"event\":\"$kind\"" "$work/replay.jsonl" | head -1)
	if [[ $line == *'"comm":"python3"'* ]] && [[ $line == *"\"local_port\":$port,"* ]] &&
		[[ $line == *'"v6only_source":"default"'* ]]; then
		pass "recorded: $kind of [::]:$port by python3, $(grep -o '"backend":"[a-z_]*"' <<<"$line")"
	else
		fail "no $kind of [::]:$port by python3 in the recording: $(cat "$work/replay.jsonl")"
	fi
done
owner=$(stat -c %u "$logdir/trace.v6t" 2>/dev/null)
if [ "$owner" = "$service_uid" ]; then
	pass "trace.v6t is owned by the service's uid $owner"
else
	fail "trace.v6t owner: ${owner:-none}"
fi
# v6trace's own mode for recordings, whatever the umask (this shell's, not the unit's UMask=)
mode=$(stat -c %a "$logdir/trace.v6t" 2>/dev/null)
if [ "$mode" = 600 ]; then
	pass "trace.v6t has mode 600"
else
	fail "trace.v6t mode: ${mode:-none}, expected 600"
fi

# Every capability is needed: without one, v6trace refuses (exit status 1), naming the reason
for drop in $caps; do
	fewer=$(for c in $caps; do [ "$c" != "$drop" ] && echo "$c"; done | tr '\n' ' ')
	start_service "$fewer"
	rc=$(cat "$state/start.rc" 2>/dev/null)
	if [ "$rc" = 1 ] && grep -q "permission denied" "$state/start.err"; then
		pass "without $drop: exit status 1, \"$(head -1 "$state/start.err" | cut -c1-60)...\""
	else
		fail "without $drop: exit status ${rc:-?}, expected 1; stderr: $(cat "$state/start.err")"
	fi
done

# Metrics as README enables them: V6TRACE_METRICS_ARGS naming a file in the runtime
# directory, which systemd makes for the service's user (here in $state, the writable one)
if [ "$(unit_value RuntimeDirectory)" = v6trace ] && [ "$(unit_value RuntimeDirectoryMode)" = 0755 ]; then
	pass "unit: RuntimeDirectory=v6trace, mode 0755 (node_exporter's user reads it)"
else
	fail "unit: expected RuntimeDirectory=v6trace, RuntimeDirectoryMode=0755"
fi
rundir=$state/run
mkdir -m 0755 "$rundir"
chown "$service_uid:$service_uid" "$rundir"
metrics_args="--metrics $rundir/v6trace.prom"
mapfile -t start_argv < <(unit_argv ExecStart)
start_service "$caps"
rc=$(cat "$state/start.rc" 2>/dev/null)
prom=$(cat "$rundir/v6trace.prom" 2>/dev/null)
if [ "$rc" = 0 ] && [[ $prom == *"v6trace_listener_v6only{"*"port=\"$port\""*"comm=\"python3\""* ]] &&
	[ "$(stat -c %a "$rundir/v6trace.prom")" = 644 ]; then
	pass "with V6TRACE_METRICS_ARGS: $rundir/v6trace.prom, mode 644, has python3's [::]:$port"
else
	fail "with V6TRACE_METRICS_ARGS: exit status ${rc:-?}, file: ${prom:-none}; stderr: $(cat "$state/start.err")"
fi

finish
