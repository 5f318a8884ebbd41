#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The kernel matrix must fail when the guest does: matrix.sh run against a fake guest (run.sh)
# and a fake test binary, once reporting every backend, once stopping before the last (a hung
# or killed guest: its table used to be shorter and pass), once exiting non-zero after
# reporting all (a crash of the test binary). Run by `make vmtest` before the real matrix.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/vm" "$work/build/tests"
cp "$here/matrix.sh" "$work/vm/"
# two kernels, one of another architecture: both guests run, and both must report
printf '6.1 bookworm amd64 fentry fentry kprobe tracepoint raw_tp auto\n' > "$work/vm/kernels"
printf 'arm64-6.1 bookworm arm64 kprobe kprobe tracepoint auto\n' >> "$work/vm/kernels"
printf '#!/bin/sh\necho "[  PASSED  ] 3 test(s)."\n' > "$work/build/tests/itest"
chmod +x "$work/build/tests/itest"
: > "$work/build/v6trace"
mkdir -p "$work/build/static" && cp "$work/build/tests/itest" "$work/build/static/v6trace"
failed=0

# fake run.sh: reports the backends after "--", per $FAKE_MODE
cat > "$work/vm/run.sh" <<'FAKE'
#!/bin/bash
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	[ "$1" = --kernel ] && echo "V6TRACE_VM_KERNEL=$2-fake"
	shift
done
shift 4
for b in "$@"; do
	if [ "$FAKE_MODE" = stops ] && [ "$b" = auto ]; then
		echo "watchdog: BUG: soft lockup"
		exit 125
	fi
	echo "V6TRACE_VM_RESULT backend=$b passed=2 failed=0"
done
[ "$FAKE_MODE" = crashes ] && exit 1
exit 0
FAKE
chmod +x "$work/vm/run.sh"

expect() { # mode, expected exit status, what the table must say
	local out rc
	out=$(FAKE_MODE=$1 bash "$work/vm/matrix.sh" "$work/build" tracepoint 2>&1)
	rc=$?
	if [ "$rc" -eq "$2" ] && grep -q -- "$3" <<< "$out"; then
		echo "ok   guest that $1: exit $rc, \"$3\""
	else
		echo "FAIL guest that $1: exit $rc (expected $2), \"$3\" in:"
		echo "$out"
		failed=1
	fi
}
expect "reports all" 0 "vmtest: 22 passed, 0 failed"
expect "reports all" 0 "arm64-6.1-fake (vm) *auto -> kprobe *pass"
expect stops 1 "6.1-fake (vm) *auto -> fentry (no result) *FAIL"
expect stops 1 "arm64-6.1-fake (vm) *auto -> kprobe (no result) *FAIL"
expect crashes 1 "arm64-6.1-fake (vm) *guest exit status 1 *FAIL"
: > "$work/vm/kernels"
expect "has no kernels" 1 "vmtest: no kernels in"

# the README's table of what auto takes where says what tests/vm/kernels makes the guests check
readme=$here/../../README.md
while read -r id _ _ auto _; do
	if grep -q "^| [^|]* | \`$id\` | $auto |" "$readme"; then
		echo "ok   README: auto takes $auto on $id, as tests/vm/kernels says"
	else
		echo "FAIL README: no row \"| ... | \`$id\` | $auto |\" in its table of what auto takes"
		failed=1
	fi
done < <(awk '!/^#/ && NF' "$here/kernels")
exit $failed
