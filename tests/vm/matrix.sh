#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel matrix: the backend-specific integration tests on this host (auto) and, in a qemu
# guest per kernel of tests/vm/kernels, with each backend forced and with auto (which must
# choose the kernel's AUTO). Prints kernel x backend -> result and ends with "vmtest: N
# passed, M failed".
#
#   tests/vm/matrix.sh BUILD_DIR HOST_EXPECTED_BACKEND [KERNEL_ID|host]...
#
# With no kernel named, every one of tests/vm/kernels and the host run. A guest runs the
# binaries its architecture's build left in BUILD_DIR (bins_for).
set -uo pipefail
build=${1:?build dir}
host_expect=${2:?backend auto must choose on this host}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
groups=scenarios,filters,existing,attrib
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || mapfile -t kernels < <(echo host; awk '!/^#/ && NF { print $1 }' "$here/kernels")
# a lost or empty table must not shrink the matrix to a host run that passes
[ ${#kernels[@]} -gt 1 ] || [ "${kernels[0]}" != host ] ||
	{ echo "vmtest: no kernels in $here/kernels" >&2; exit 1; }
rows=()
total_pass=0
total_fail=0
tmp=$(mktemp -d)
log=$tmp/host.log
trap 'rm -rf "$tmp"' EXIT

count() { # log, PASSED|FAILED
	local pattern='^\[  PASSED  \] \([0-9]*\) test(s)\.'
	[ "$2" = FAILED ] && pattern='^\[  FAILED  \] \([0-9]*\) test(s), listed below:'
	sed -n "s/$pattern/\\1/p" "$1" | awk '{ s += $1 } END { print s + 0 }'
}

row() { # kernel, backend label, passed, failed
	rows+=("$1|$2|$3|$4")
	total_pass=$((total_pass + $3))
	total_fail=$((total_fail + $4))
}

host_run() { # label, extra environment...
	local label=$1 p f rc
	shift
	env "$@" V6TRACE_BIN="$build/static/v6trace" V6TRACE_BACKEND=auto V6TRACE_EXPECT_BACKEND="$host_expect" \
		"$build/tests/itest" > "$log" 2>&1
	rc=$?
	p=$(count "$log" PASSED)
	f=$(count "$log" FAILED)
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && f=1
	[ "$f" -ne 0 ] && cat "$log"
	row "$(uname -r) (host)" "$label" "$p" "$f"
}

host() {
	host_run "auto -> $host_expect" V6TRACE_ITEST_GROUPS=$groups
	# without tracefs the tracepoint backend falls back to the raw exit of every syscall
	[ "$host_expect" = tracepoint ] &&
		host_run "auto -> tracepoint (raw_tp)" V6TRACE_TRACEFS= V6TRACE_ITEST_GROUPS=$groups,cli
}

# What a guest of ARCH runs: the static v6trace (`make static`: one file for every kernel is
# what is tested), the integration tests, and where their libraries are.
bins_for() { # arch
	if [ "$1" = "$(dpkg --print-architecture)" ]; then
		echo "$build/static/v6trace $build/tests/itest -"
	else
		echo "$build/$1/static/v6trace $build/$1/tests/itest $build/$1/sysroot"
	fi
}

# One guest's run, in the background: its console in $tmp/ID.log, its status in $tmp/ID.rc.
# The timeout only catches a hung guest: the slowest (arm64 under TCG, sharing the cores with
# another guest) must finish well inside it on a noisy machine, and a hang still leaves CI
# its time for the rest.
GUEST_TIMEOUT_S=2400
guest_start() { # kernel id
	local id=$1 suite arch auto run v6t itest sysroot sys=()
	read -r _ suite arch auto run < <(awk -v id="$id" '$1 == id' "$here/kernels")
	[ -n "$arch" ] || { echo "no such kernel in tests/vm/kernels" > "$tmp/$id.log"; echo 2 > "$tmp/$id.rc"; return; }
	read -r v6t itest sysroot < <(bins_for "$arch")
	[ "$sysroot" = - ] || sys=(--sysroot "$sysroot")
	(
		start=$SECONDS
		"$here/run.sh" --build-dir "$build" --kernel "$id" --timeout "$GUEST_TIMEOUT_S" "${sys[@]}" \
			--pack "$v6t" --pack "$itest" --pack "$here/guest-tests.sh" \
			-- ./guest-tests.sh --expect "$auto" $run > "$tmp/$id.log" 2>&1
		echo $? > "$tmp/$id.rc"
		echo "vmtest: the $id guest took $((SECONDS - start)) s" >&2
	) &
}

# Its rows: every backend asked for has one. A backend the guest never reported (it hung,
# crashed or was killed before it) fails, rather than leaving a shorter table that passes.
guest_rows() { # kernel id
	local id=$1 auto run rc kernel b line label p f before=$total_fail
	read -r _ _ _ auto run < <(awk -v id="$id" '$1 == id' "$here/kernels")
	rc=$(cat "$tmp/$id.rc" 2>/dev/null || echo 125)
	kernel=$(grep -a -o 'V6TRACE_VM_KERNEL=[^[:space:]]*' "$tmp/$id.log" | head -n 1 | cut -d= -f2)
	kernel="${kernel:-$id} (vm)"
	[ "$rc" -ne 0 ] && cat "$tmp/$id.log"
	for b in $run; do
		line=$(grep -a -o "V6TRACE_VM_RESULT backend=$b passed=[0-9]* failed=[0-9]*" "$tmp/$id.log" | tail -n 1)
		label=$b
		[ "$b" = auto ] && label="auto -> $auto"
		if [ -z "$line" ]; then
			echo "vmtest: no result for $b from the $id guest (status $rc); see the console above" >&2
			row "$kernel" "$label (no result)" 0 1
			continue
		fi
		read -r _ _ p f <<< "$line"
		row "$kernel" "$label" "${p#passed=}" "${f#failed=}"
	done
	# the guest's own status too: every row may pass while it still failed (a test binary crash)
	if [ "$rc" -ne 0 ] && [ "$total_fail" -eq "$before" ]; then
		echo "vmtest: the $id guest ended with status $rc" >&2
		row "$kernel" "guest exit status $rc" 0 1
	fi
}

# A guest keeps about one core of TCG busy: VM_JOBS of them at a time (default 2) share the
# machine's cores; the host's own run goes first, alone.
guests=()
for k in "${kernels[@]}"; do
	if [ "$k" = host ]; then
		host
		continue
	fi
	while [ "$(jobs -rp | wc -l)" -ge "${VM_JOBS:-2}" ]; do wait -n; done
	guest_start "$k"
	guests+=("$k")
done
wait
for k in "${guests[@]}"; do guest_rows "$k"; done

printf '\nKernel matrix (integration groups %s)\n' "$groups"
printf '%-28s %-30s %-7s %s\n' KERNEL BACKEND RESULT TESTS
for r in "${rows[@]}"; do
	IFS='|' read -r k b p f <<< "$r"
	result=pass
	[ "$f" -ne 0 ] && result=FAIL
	printf '%-28s %-30s %-7s %s\n' "$k" "$b" "$result" "$p passed, $f failed"
done
echo "vmtest: $total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
