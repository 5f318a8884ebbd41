#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boots one of Debian's own kernels (tests/vm/kernels: 5.10, 6.1, 6.12 on amd64, 6.1 on arm64)
# under qemu TCG and runs a command in it; the guest command's exit status becomes ours.
#
#   tests/vm/run.sh --build-dir DIR [--kernel ID] [--timeout S] [--mem MB]
#                   [--sysroot DIR] [--pack FILE[:GUEST_PATH]]... -- CMD [ARG]...
#
# Everything the guest needs is packed into the initramfs (dynamic executables with their
# shared libraries and loader: from this machine, or for another architecture's binary from
# --sysroot), so no modules, 9p or disk image are needed. The kernel .deb comes from the
# suite's archive through a private apt configuration (scripts/debian-apt.sh), is never
# installed, and it and the base initramfs are cached in DIR/vm/ID: a second run only boots.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=
kernel=6.1
timeout_s=600
mem=1024
sysroot=
packs=()
while [ $# -gt 0 ]; do
	case $1 in
	--build-dir) build=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--timeout) timeout_s=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--sysroot) sysroot=$2; shift 2 ;;
	--pack) packs+=("$2"); shift 2 ;;
	--) shift; break ;;
	*) echo "vm: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
[ -n "$build" ] && [ $# -gt 0 ] || { echo "vm: usage: run.sh --build-dir DIR [--kernel ID] [--pack F]... -- CMD" >&2; exit 2; }
read -r _ suite arch _ < <(awk -v id="$kernel" '$1 == id' "$here/kernels") ||
	{ echo "vm: unknown kernel '$kernel' (tests/vm/kernels names them)" >&2; exit 2; }
mkdir -p "$build/vm/$kernel"
cache=$(cd "$build/vm/$kernel" && pwd)
apt_dir=$(cd "$build/vm" && pwd)/apt-$suite-$arch

case $arch in
amd64) qemu_pkg=qemu-system-x86 ;;
arm64) qemu_pkg=qemu-system-arm ;;
*) echo "vm: no qemu for $arch" >&2; exit 2 ;;
esac
"$top/scripts/install-deps.sh" "$qemu_pkg" busybox-static xz-utils cpio file binutils

# The modules sock_diag needs for TCP and UDP (v6trace's start-up snapshot), modular in
# Debian's kernels: the guest cannot autoload without modules.dep, so init loads them in
# this order. Older packages keep them in /lib/modules as .ko, trixie's in /usr/lib/modules
# as .ko.xz.
copy_modules() { # extracted package, kernel version
	local m f
	rm -rf "$cache/modules" && mkdir -p "$cache/modules"
	for m in inet_diag tcp_diag udp_diag; do
		f=$(find "$1/lib/modules/$2" "$1/usr/lib/modules/$2" -name "$m.ko*" 2>/dev/null | head -n 1 || true)
		[ -n "$f" ] || { echo "vm: $m is not in the kernel package" >&2; return 1; }
		case $f in
		*.ko.xz) xz -dc "$f" > "$cache/modules/$m.ko" ;;
		*.ko) cp "$f" "$cache/modules/$m.ko" ;;
		*) echo "vm: $f: a compressed module this harness cannot read" >&2; return 1 ;;
		esac
	done
}

fetch_kernel() {
	local pkg deb
	pkg=$("$top/scripts/debian-apt.sh" "$apt_dir" "$suite" "$arch" depends "linux-image-$arch" |
		grep -m 1 '^linux-image-[0-9]') ||
		{ echo "vm: no kernel package in $suite/$arch" >&2; return 1; }
	echo "vm: downloading $pkg from $suite (not installing it)" >&2
	deb=$("$top/scripts/debian-apt.sh" "$apt_dir" "$suite" "$arch" download "$pkg")
	rm -rf "$cache/kernel" && mkdir -p "$cache/kernel"
	dpkg-deb -x "$deb" "$cache/kernel"
	rm -f "$deb"
	cp "$cache"/kernel/boot/vmlinuz-* "$cache/vmlinuz.tmp"
	basename "$cache"/kernel/boot/vmlinuz-* | sed 's/^vmlinuz-//' > "$cache/kver"
	copy_modules "$cache/kernel" "$(cat "$cache/kver")"
	rm -rf "$cache/kernel"
	mv "$cache/vmlinuz.tmp" "$cache/vmlinuz"
}

# The guest's busybox is Debian's static one for the guest's architecture.
guest_busybox() {
	local deb
	if [ "$arch" = "$(dpkg --print-architecture)" ]; then
		cp /bin/busybox "$1"
		return
	fi
	deb=$("$top/scripts/debian-apt.sh" "$apt_dir" "$suite" "$arch" download busybox-static)
	rm -rf "$cache/bb" && dpkg-deb -x "$deb" "$cache/bb"
	cp "$cache/bb/bin/busybox" "$1"
	rm -rf "$cache/bb"
}

make_base() {
	local root applet
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,etc,tmp,run,opt/vmtest,lib/modules}
	cp "$cache"/modules/*.ko "$root/lib/modules/"
	guest_busybox "$root/bin/busybox"
	# the applets of this machine's busybox: the same Debian version, whatever the architecture
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
}

# One kernel fetch at a time: concurrent runs share the cache.
exec 9>"$cache/lock"
flock 9
[ -s "$cache/vmlinuz" ] || fetch_kernel
if [ ! -s "$cache/base.cpio" ] || [ "$here/init" -nt "$cache/base.cpio" ] || [ "$0" -nt "$cache/base.cpio" ]; then
	make_base
fi
flock -u 9

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/opt/vmtest"

# A file at its guest path, and for a dynamic executable its libraries and loader too: ldd's
# for this machine's architecture; for another's, each DT_NEEDED found in --sysroot (and the
# loader its PT_INTERP names), recursively.
copy_in() { # host file, guest path
	[ -e "$work/root$2" ] && return
	mkdir -p "$work/root$(dirname "$2")"
	cp -L "$1" "$work/root$2"
}
foreign_libs() { # file
	local lib dir found interp
	interp=$(readelf -l "$1" 2>/dev/null | sed -n 's/.*Requesting program interpreter: \(.*\)]/\1/p')
	[ -n "$interp" ] && copy_in "$sysroot$interp" "$interp"
	for lib in $(readelf -d "$1" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
		found=
		for dir in /lib/aarch64-linux-gnu /usr/lib/aarch64-linux-gnu /lib /usr/lib; do
			[ -e "$sysroot$dir/$lib" ] && { found=$dir/$lib; break; }
		done
		[ -n "$found" ] || { echo "vm: $1 needs $lib, not in --sysroot $sysroot" >&2; return 1; }
		[ -e "$work/root$found" ] && continue
		copy_in "$sysroot$found" "$found"
		foreign_libs "$sysroot$found"
	done
}
pack_file() {
	local src=$1 dst=$2 lib
	copy_in "$src" "$dst"
	file -L "$src" 2>/dev/null | grep -q 'dynamically linked' || return 0
	if [ "$arch" != "$(dpkg --print-architecture)" ]; then
		[ -n "$sysroot" ] || { echo "vm: $src is dynamic: its libraries need --sysroot" >&2; return 1; }
		foreign_libs "$src"
		return
	fi
	for lib in $(ldd "$src" | grep -o '/[^ ]*'); do
		copy_in "$lib" "$lib"
	done
}
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
case $arch in
amd64) qemu=(qemu-system-x86_64 -cpu max); console=ttyS0; extra="tsc=reliable" ;;
arm64) qemu=(qemu-system-aarch64 -M virt -cpu max); console=ttyAMA0; extra= ;;
esac
timeout --foreground -k 10 "$timeout_s" "${qemu[@]}" -accel tcg,thread=multi -m "$mem" -smp 2 \
	-nographic -no-reboot -nodefaults -serial stdio -net none \
	-kernel "$cache/vmlinuz" -initrd "$work/initrd" \
	-append "console=$console quiet loglevel=3 panic=-1 oops=panic mitigations=off $extra" \
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
