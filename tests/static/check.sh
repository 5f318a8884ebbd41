#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The binaries made for other machines: `make static` (one file, nothing to load at run time)
# and, on x86_64, the arm64 build (`make ARCH=arm64`, `make ARCH=arm64 static`, the
# integration tests' binary). Checks what each links against and that it runs: the static
# one here, for real (-l in a network namespace of its own, a short live trace, every golden
# replay); the arm64 ones under qemu's user-mode emulation (qemu-aarch64), which has no
# NETLINK_SOCK_DIAG or BPF, so there: --version, the golden replays, and that the dynamic
# ones find every library they need in the sysroot.
# Usage: OUTPUT=.output CROSS_ARCHS=arm64 tests/static/check.sh   (from the top; root)
# Ends with "static: N passed, M failed"; exit status 1 if anything failed.
set -uo pipefail

output=${OUTPUT:-.output}
cross_archs=${CROSS_ARCHS-}
# shellcheck source=tests/tally.sh
. "$(dirname "$0")/../tally.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the ELF header's machine, as readelf names it
machine_of() {
	readelf -hW "$1" 2>/dev/null | sed -n 's/^ *Machine: *//p'
}

# static: an executable with no program interpreter and no dynamic section at all
check_static() {
	local bin=$1 machine=$2 got
	got=$(machine_of "$bin")
	if [ "$got" = "$machine" ]; then
		pass "$bin: $got"
	else
		fail "$bin: machine \"$got\", want \"$machine\""
	fi
	if readelf -hW "$bin" | grep -q 'Type: *EXEC' && ! readelf -lW "$bin" | grep -q INTERP &&
		readelf -dW "$bin" | grep -q 'no dynamic section'; then
		pass "$bin: static (no INTERP, no dynamic section, no NEEDED)"
	else
		fail "$bin is not static: $(readelf -lW "$bin" | grep -A1 INTERP)" \
			"$(readelf -dW "$bin" | grep NEEDED)"
	fi
}

# dynamic, for the target: each NEEDED library is in the sysroot, as a guest must be given it
check_needed() {
	local bin=$1 sysroot=$2 triplet=$3 lib missing="" libs
	libs=$(readelf -dW "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
	for lib in $libs; do
		[ -e "$sysroot/lib/$triplet/$lib" ] || [ -e "$sysroot/usr/lib/$triplet/$lib" ] ||
			missing="$missing $lib"
	done
	if [ -n "$libs" ] && [ -z "$missing" ]; then
		pass "$bin: every NEEDED is in $sysroot: ${libs//$'\n'/ }"
	else
		fail "$bin: NEEDED not in $sysroot:${missing:- none at all}"
	fi
}

# every golden replay, byte for byte, through the binary (or the command) in $1
check_golden() {
	local bin=$1 what=$2 n
	if V6TRACE_BIN=$bin "$output/tests/golden" >"$work/golden.log" 2>&1; then
		n=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$work/golden.log")
		pass "$what: $n golden replay tests pass"
	else
		grep -E 'FAILED|ERROR|Failure' "$work/golden.log" | head -20
		fail "$what: the golden replays differ"
	fi
}

if [ "$(id -u)" -ne 0 ]; then
	fail "needs root (a network namespace of its own, BPF)"
	echo "static: $passed passed, $failed failed"
	exit 1
fi

bin=$output/static/v6trace
want_version=$("$output/v6trace" --version)
check_static "$bin" "$(machine_of "$output/v6trace")"
out=$(ldd "$bin" 2>&1)
if [[ $out == *"not a dynamic executable"* ]]; then
	pass "ldd $bin: $out"
else
	fail "ldd $bin: $out"
fi
out=$("$bin" --version 2>&1)
if [ "$out" = "$want_version" ]; then
	pass "$bin --version: $out"
else
	fail "$bin --version: \"$out\", want \"$want_version\""
fi

# -l and a live trace in a new network namespace: python3 holds a dual-stack listener on
# [::]:PORT for -l, then binds [::]:PORT+1 once the tracer says it is attached (--ready-fd).
port=48131
mkfifo "$work/held" "$work/ready"
# shellcheck disable=SC2016 # expanded by the inner bash, in the new namespace
unshare --net bash -c '
	ip link set lo up
	ino=$(stat -L -c %i /proc/self/ns/net)
	python3 -c "import signal, socket
s = socket.socket(socket.AF_INET6); s.bind((\"::\", $3)); s.listen()
print(\"held\", flush=True); signal.pause()" >"$1/held" &
	holder=$!
	timeout 10 head -1 "$1/held" >/dev/null
	"$2" -l -j -P "$3" >"$1/list.jsonl" 2>"$1/list.err"
	echo $? >"$1/list.rc"
	kill $holder
	"$2" -j -n 1 -d 10 --event bind -N "$ino" --ready-fd 3 3>"$1/ready" >"$1/trace.jsonl" \
		2>"$1/trace.err" &
	tracer=$!
	timeout 10 head -1 "$1/ready" >/dev/null
	python3 -c "import socket; socket.socket(socket.AF_INET6).bind((\"::\", $3 + 1))"
	wait $tracer
	echo $? >"$1/trace.rc"
' bash "$work" "$bin" "$port"
line=$(grep "\"local_port\":$port," "$work/list.jsonl")
if [ "$(cat "$work/list.rc")" = 0 ] && [[ $line == *'"event":"listening"'* ]] &&
	[[ $line == *'"proto":"tcp","family":"inet6","local_addr":"::"'* ]] &&
	[[ $line == *'"v6only":false,"v6only_source":"default"'* ]]; then
	pass "$bin -l: the dual-stack listener [::]:$port, found through sock_diag"
else
	fail "$bin -l (status $(cat "$work/list.rc")): $(cat "$work/list.jsonl" "$work/list.err")"
fi
line=$(grep '"event":"bind"' "$work/trace.jsonl")
if [ "$(cat "$work/trace.rc")" = 0 ] && [[ $line == *"\"local_port\":$((port + 1)),"* ]]; then
	pass "$bin -n 1 --event bind: the bind of [::]:$((port + 1)), traced with BPF"
else
	fail "$bin live trace (status $(cat "$work/trace.rc")): $(cat "$work/trace.jsonl" \
		"$work/trace.err")"
fi
check_golden "$bin" "$bin"

# the arm64 build, in $output/arm64, under qemu's user-mode emulation
check_arm64() {
	local dir=$output/arm64 sysroot=$output/arm64/sysroot bin out
	check_static "$dir/static/v6trace" AArch64
	out=$(qemu-aarch64 "$dir/static/v6trace" --version 2>&1)
	if [ "$out" = "$want_version" ]; then
		pass "qemu-aarch64 $dir/static/v6trace --version: $out"
	else
		fail "qemu-aarch64 $dir/static/v6trace --version: \"$out\", want \"$want_version\""
	fi
	printf '#!/bin/sh\nexec qemu-aarch64 %s "$@"\n' "$(realpath "$dir/static/v6trace")" \
		>"$work/v6trace-arm64"
	chmod +x "$work/v6trace-arm64"
	check_golden "$work/v6trace-arm64" "qemu-aarch64 $dir/static/v6trace"
	for bin in "$dir/v6trace" "$dir/tests/itest"; do
		got=$(machine_of "$bin")
		if [ "$got" = AArch64 ]; then
			pass "$bin: $got"
		else
			fail "$bin: machine \"$got\""
		fi
		check_needed "$bin" "$sysroot" aarch64-linux-gnu
	done
	out=$(qemu-aarch64 -L "$sysroot" "$dir/v6trace" --version 2>&1)
	if [ "$out" = "$want_version" ]; then
		pass "qemu-aarch64 -L $sysroot $dir/v6trace --version: $out"
	else
		fail "qemu-aarch64 -L $sysroot $dir/v6trace --version: \"$out\""
	fi
	# without the backend it expects, itest stops at once: its libraries loaded, main ran
	out=$(env -u V6TRACE_EXPECT_BACKEND qemu-aarch64 -L "$sysroot" "$dir/tests/itest" 2>&1)
	if [[ $out == *"set V6TRACE_EXPECT_BACKEND"* ]]; then
		pass "qemu-aarch64 -L $sysroot $dir/tests/itest starts"
	else
		fail "qemu-aarch64 -L $sysroot $dir/tests/itest: $out"
	fi
}

if [[ " $cross_archs " == *" arm64 "* ]]; then
	check_arm64
else
	echo "skip arm64: not cross-built on this machine (CROSS_ARCHS=\"$cross_archs\")"
fi

echo "static: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
