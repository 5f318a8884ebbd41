#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The Debian package, end to end, as root: build it (make deb), check the tree is left clean,
# install it with apt-get, run the installed /usr/sbin/v6trace (--version, and a short real
# trace of a socket bound in a network namespace of its own), check the manual page, the bash
# completion and the systemd unit are where Debian looks for them, then remove the package.
# Usage: tests/packaging/deb.sh   (from the top of the tree; root; build deps installed)
# Env:   DEB_BUILD=0 to test the .deb already in .output instead of building it
# Ends with "deb: N passed, M failed"; exit status 1 if anything failed.
set -uo pipefail

output=.output
# shellcheck source=tests/tally.sh
. "$(dirname "$0")/../tally.sh"
work=$(mktemp -d)
installed_by_us=0

# A failed test must not leave the package installed on the machine.
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ "$installed_by_us" = 1 ] && dpkg-query -W v6trace >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq v6trace >/dev/null 2>&1
	fi
	rm -rf "$work"
}
trap cleanup EXIT

finish() {
	echo "deb: $passed passed, $failed failed"
	if [ "$failed" -ne 0 ]; then
		exit 1
	fi
	exit 0
}

if [ "$(id -u)" -ne 0 ]; then
	fail "needs root (apt-get install, BPF)"
	finish
fi
if dpkg-query -W -f='${Status}' v6trace 2>/dev/null | grep -q "install ok installed"; then
	fail "v6trace is installed already; this test installs and removes it (apt-get remove v6trace)"
	finish
fi

version=$(dpkg-parsechangelog -S Version)
arch=$(dpkg-architecture -qDEB_HOST_ARCH)
deb=$output/v6trace_${version}_${arch}.deb

# Build. The main Makefile may include mk/install.mk already; if not, name it.
if [ "${DEB_BUILD:-1}" != 0 ]; then
	rm -f "$deb"
	makefiles=(-f Makefile)
	grep -q '^include mk/install.mk' Makefile || makefiles+=(-f mk/install.mk)
	if make "${makefiles[@]}" deb >"$work/build.log" 2>&1; then
		pass "make deb: $(grep -c . "$work/build.log") lines of build log"
	else
		tail -30 "$work/build.log"
		fail "make deb failed"
		finish
	fi
fi
if [ -f "$deb" ]; then
	pass "$deb built ($(stat -c %s "$deb") bytes)"
else
	fail "$deb missing"
	finish
fi
# dpkg-buildpackage writes to .. and debhelper to debian/: make deb must leave neither behind
leftovers=$(ls -d debian/v6trace debian/.debhelper debian/files debian/*.substvars \
	debian/debhelper-build-stamp ../v6trace_"$version"_* ../v6trace-dbgsym_"$version"_* 2>/dev/null)
if [ -z "$leftovers" ]; then
	pass "no build output left in debian/ or .."
else
	fail "build output left behind: $leftovers"
fi
for f in "$output/v6trace_${version}_${arch}.buildinfo" "$output/v6trace_${version}_${arch}.changes"; do
	if [ -f "$f" ]; then pass "$f moved to $output"; else fail "$f missing"; fi
done

# lintian: errors fail the test; warnings are printed
if command -v lintian >/dev/null; then
	lintian "$output/v6trace_${version}_${arch}.changes" >"$work/lintian.txt" 2>&1
	sed '/running with root privileges/d' "$work/lintian.txt"
	errors=$(grep -c '^E: ' "$work/lintian.txt")
	if [ "$errors" -eq 0 ]; then
		pass "lintian: no errors ($(grep -c '^W: ' "$work/lintian.txt") warnings)"
	else
		fail "lintian: $errors errors"
	fi
fi

# Install as a user would: apt-get resolves the dependencies from Debian's archive.
if DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" >"$work/apt.log" 2>&1; then
	installed_by_us=1
	pass "apt-get install ./$deb"
else
	cat "$work/apt.log"
	fail "apt-get install ./$deb failed"
	finish
fi
status=$(dpkg-query -W -f='${Status} ${Version}' v6trace)
if [ "$status" = "install ok installed $version" ]; then
	pass "dpkg: $status"
else
	fail "dpkg status: $status"
fi

# --version of the installed binary matches the package's version
out=$(/usr/sbin/v6trace --version 2>&1)
if [[ $out == "v6trace ${version%%-*} "* ]]; then
	pass "/usr/sbin/v6trace --version: $out"
else
	fail "/usr/sbin/v6trace --version: \"$out\", want v6trace ${version%%-*}"
fi

# A real trace from the installed path: a new network namespace (lo up, bindv6only 0), the
# tracer filtered on it with -N, python3 binding [::]:PORT and listening there once v6trace
# says it is attached (--ready-fd).
port=48123
python=$(command -v /usr/bin/python3 python3 | head -1)
mkfifo "$work/ready"
# shellcheck disable=SC2016 # expanded by the inner bash, in the new namespace
unshare --net bash -c '
	ip link set lo up
	ino=$(stat -L -c %i /proc/self/ns/net)
	/usr/sbin/v6trace -j -d 2 -N "$ino" --ready-fd 3 3>"$1/ready" >"$1/trace.jsonl" 2>"$1/trace.err" &
	tracer=$!
	timeout 10 head -1 "$1/ready" >/dev/null
	"$2" -c "import socket; s = socket.socket(socket.AF_INET6); s.bind((\"::\", $3)); s.listen()"
	wait $tracer
	echo $? >"$1/trace.rc"
' bash "$work" "$python" "$port"
rc=$(cat "$work/trace.rc" 2>/dev/null)
if [ "$rc" = 0 ]; then
	pass "/usr/sbin/v6trace -j -d 2 -N <netns> exited 0"
else
	fail "/usr/sbin/v6trace -j -d 2 exited ${rc:-?}: $(cat "$work/trace.err")"
fi
# python's bind and listen, decoded: an AF_INET6 wildcard socket without V6ONLY, dual-stack
check_event() {
	local kind=$1 line
	line=$(grep "\"event\":\"$kind\"" "$work/trace.jsonl" | grep "\"local_port\":$port," | head -1)
	if [ -z "$line" ]; then
		fail "no $kind event for port $port in: $(cat "$work/trace.jsonl")"
		return
	fi
	if [[ $line == *'"proto":"tcp","family":"inet6","local_addr":"::"'* ]] &&
		[[ $line == *'"v6only":false,"v6only_source":"default"'* ]] &&
		[[ $line == *'"note":"dual-stack'* ]]; then
		pass "$kind [::]:$port seen as dual-stack: $(grep -o '"note":"[^"]*"' <<<"$line")"
	else
		fail "$kind event is not the dual-stack [::]:$port one: $line"
	fi
}
check_event bind
check_event listen

# Manual page, completion and unit where man, bash-completion and systemd look for them
manpath=$(man -w v6trace 2>/dev/null)
if [ "$manpath" = /usr/share/man/man8/v6trace.8.gz ]; then
	pass "man -w v6trace: $manpath"
else
	fail "man -w v6trace: \"$manpath\""
fi
if MANWIDTH=80 man 8 v6trace 2>/dev/null | grep -q "IPV6_V6ONLY"; then
	pass "man 8 v6trace renders ($(MANWIDTH=80 man 8 v6trace 2>/dev/null | wc -l) lines)"
else
	fail "man 8 v6trace does not render"
fi
comp=/usr/share/bash-completion/completions/v6trace
if [ -f "$comp" ] && [ "$(bash -c ". /usr/share/bash-completion/bash_completion; . $comp; complete -p v6trace")" = "complete -F _v6trace v6trace" ]; then
	pass "$comp registers _v6trace"
else
	fail "$comp missing or does not register _v6trace"
fi
unit=/lib/systemd/system/v6trace-record.service
if [ -f "$unit" ]; then
	pass "$unit installed"
	# offline: reads the unit files, needs no running systemd
	state=$(systemctl is-enabled v6trace-record.service 2>&1)
	if [ "$state" = disabled ]; then
		pass "v6trace-record.service is not enabled: $state"
	else
		fail "v6trace-record.service: is-enabled says \"$state\""
	fi
	if command -v systemd-analyze >/dev/null; then
		if systemd-analyze verify --man=no "$unit" >"$work/verify.txt" 2>&1; then
			pass "systemd-analyze verify $unit"
		else
			fail "systemd-analyze verify: $(cat "$work/verify.txt")"
		fi
	fi
else
	fail "$unit missing"
fi
for f in /usr/share/doc/v6trace/README.md.gz /usr/share/doc/v6trace/format.md.gz \
	/usr/share/doc/v6trace/copyright; do
	if [ -f "$f" ]; then pass "$f installed"; else fail "$f missing"; fi
done

# Remove it again and check its files are gone; then purge what dpkg keeps of it
if DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq v6trace >"$work/remove.log" 2>&1; then
	installed_by_us=0
	pass "apt-get remove v6trace"
else
	cat "$work/remove.log"
	fail "apt-get remove v6trace failed"
fi
left=$(ls /usr/sbin/v6trace /usr/share/man/man8/v6trace.8.gz "$comp" "$unit" 2>/dev/null)
if [ -z "$left" ]; then
	pass "removed: binary, manual page, completion and unit are gone"
else
	fail "still there after remove: $left"
fi
dpkg --purge v6trace >/dev/null 2>&1

finish
