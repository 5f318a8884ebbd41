#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots Debian bookworm's own kernel (linux-image-amd64, 6.1) under qemu TCG and runs a
# command in it; the guest command's exit status becomes ours.
#
#   tests/vm/run.sh --build-dir DIR [--timeout S] [--mem MB] [--pack FILE[:GUEST_PATH]]... -- CMD [ARG]...
#
# Everything the guest needs is packed into the initramfs (dynamic executables with their
# shared libraries and loader), so no modules, 9p or disk image are needed. The kernel .deb is
# downloaded, never installed (installing pulls initramfs-tools and a systemd upgrade), and it
# and the base initramfs are cached in DIR/vm: a second run only boots.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=
timeout_s=600
mem=1024
packs=()
while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) build=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--pack) packs+=("$2"); shift 2 ;;
	--) shift; break ;;
	*) echo "vm: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$build" ] && [ $# -gt 0 ] || { echo "vm: usage: run.sh --build-dir DIR [--pack F]... -- CMD" >&2; exit 2; }
mkdir -p "$build/vm"
cache=$(cd "$build/vm" && pwd)

"$top/scripts/install-deps.sh" qemu-system-x86 busybox-static xz-utils cpio

# One kernel fetch at a time: concurrent runs share the cache.
exec 9>"$cache/lock"
flock 9
if [ ! -s "$cache/vmlinuz" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	if [ -z "$pkg" ]; then
		apt-get update -qq >/dev/null
		pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	fi
	[ -n "$pkg" ] || { echo "vm: cannot find Debian's kernel package (apt-cache depends linux-image-amd64)" >&2; exit 1; }
	echo "vm: downloading $pkg (not installing it)" >&2
	rm -rf "$cache/deb" "$cache/kernel" && mkdir -p "$cache/deb"
	# as root into a root-owned folder apt warns that it cannot sandbox the download: harmless
	(cd "$cache/deb" && apt-get download -qq "$pkg" >/dev/null 2>&1)
	dpkg-deb -x "$cache"/deb/*.deb "$cache/kernel"
	cp "$cache"/kernel/boot/vmlinuz-* "$cache/vmlinuz.tmp"
	kver=${pkg#linux-image-}
	echo "$kver" > "$cache/kver"
	# sock_diag for TCP and UDP (v6trace's start-up snapshot) is modular in Debian's kernel;
	# the guest cannot autoload without modules.dep, so init loads these in this order
	rm -rf "$cache/modules" && mkdir -p "$cache/modules"
	for m in inet_diag tcp_diag udp_diag; do
		cp "$cache/kernel/lib/modules/$kver/kernel/net/ipv4/$m.ko" "$cache/modules/"
	done
	rm -rf "$cache/deb" "$cache/kernel"
	mv "$cache/vmlinuz.tmp" "$cache/vmlinuz"
fi
if [ ! -s "$cache/base.cpio" ] || [ "$here/init" -nt "$cache/base.cpio" ] || [ "$0" -nt "$cache/base.cpio" ]; then
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,etc,tmp,run,opt/vmtest,lib/modules}
	cp "$cache"/modules/*.ko "$root/lib/modules/"
	cp /bin/busybox "$root/bin/busybox"
	for applet in $(/bin/busybox --list); do
		[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
	done
	cp "$here/init" "$root/init"
	chmod 755 "$root/init"
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' > "$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
	(cd "$root" && find . | cpio -o -H newc --quiet) > "$cache/base.cpio.tmp"
	rm -rf "$root"
	mv "$cache/base.cpio.tmp" "$cache/base.cpio"
fi
flock -u 9

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/opt/vmtest"

# A file at its guest path, and for a dynamic executable its libraries and loader too.
pack_file() {
	local src=$1 dst=$2 lib
	mkdir -p "$work/root$(dirname "$dst")"
	cp -L "$src" "$work/root$dst"
	if file -L "$src" 2>/dev/null | grep -q 'dynamically linked'; then
		for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
			[ -e "$work/root$lib" ] || { mkdir -p "$work/root$(dirname "$lib")"; cp -L "$lib" "$work/root$lib"; }
		done
	fi
}
"$top/scripts/install-deps.sh" file
for p in "${packs[@]}"; do
	src=${p%%:*}
	dst=/opt/vmtest/$(basename "$src")
	[ "$p" != "$src" ] && dst=${p#*:}
	[ -e "$src" ] || { echo "vm: --pack $src: no such file" >&2; exit 2; }
	pack_file "$src" "$dst"
done
# The command travels as a script, not on the kernel command line: quoting survives.
{ echo '#!/bin/sh'; printf 'exec'; printf ' %q' "$@"; echo; } > "$work/root/vmtest-cmd"
chmod 755 "$work/root/vmtest-cmd"
(cd "$work/root" && find . | cpio -o -H newc --quiet) > "$work/run.cpio"
# concatenated newc archives are one initramfs to the kernel
cat "$cache/base.cpio" "$work/run.cpio" > "$work/initrd"

echo "vm: booting $(cat "$cache/kver") under qemu TCG (timeout ${timeout_s}s)" >&2
log=$work/console.log
set +e
timeout --foreground -k 10 "$timeout_s" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m "$mem" -smp 2 \
	-nographic -no-reboot -nodefaults -serial stdio -net none \
	-kernel "$cache/vmlinuz" -initrd "$work/initrd" \
	-append "console=ttyS0 quiet loglevel=3 panic=-1 oops=panic mitigations=off tsc=reliable" \
	</dev/null 2>&1 | tee "$log"
qemu_rc=${PIPESTATUS[0]}
set -e
# qemu exits 0 after poweroff whatever the guest did: the marker line carries the status
status=$(grep -a -o 'V6TRACE_VM_EXIT=[0-9]*' "$log" | tail -n 1 | cut -d= -f2)
if [ -z "$status" ]; then
	if [ "$qemu_rc" = 124 ] || [ "$qemu_rc" = 137 ]; then
		echo "vm: the guest did not finish within ${timeout_s}s" >&2
	elif grep -aq 'Kernel panic' "$log"; then
		echo "vm: the guest kernel panicked" >&2
	else
		echo "vm: qemu exited ($qemu_rc) without the guest's exit marker" >&2
	fi
	exit 125
fi
exit "$status"
