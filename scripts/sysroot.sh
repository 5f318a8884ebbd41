#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A sysroot for cross-building: SUITE's ARCH packages, downloaded through scripts/debian-apt.sh
# (a private apt configuration; the system's apt and dpkg are not touched) and unpacked into
# DIR with dpkg-deb -x. Nothing is installed. Absolute symbolic links (libz.so ->
# /lib/aarch64-linux-gnu/...) are made relative, so that they point into DIR rather than at the
# build machine's own files. DIR is kept until the list of packages changes; the downloads are
# cached in DIR.apt.
#
#   scripts/sysroot.sh DIR SUITE ARCH PACKAGE...
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: sysroot.sh DIR SUITE ARCH PACKAGE..." >&2; exit 2; }
dir=${1%/} suite=$2 arch=$3
shift 3
want="$suite $arch $*"
if [ "$(cat "$dir/.packages" 2>/dev/null)" = "$want" ]; then
	exit 0
fi
debs=$("$(dirname "$0")/debian-apt.sh" "$dir.apt" "$suite" "$arch" download "$@")
new=$dir.new
rm -rf "$new"
mkdir -p "$new"
for deb in $debs; do
	dpkg-deb -x "$deb" "$new"
done
find "$new" -type l -lname '/*' -print0 | while IFS= read -r -d '' link; do
	target=$new$(readlink "$link")
	ln -sfn "$(realpath -s -m --relative-to="$(dirname "$link")" "$target")" "$link"
done
echo "$want" > "$new/.packages"
rm -rf "$dir"
mv "$new" "$dir"
echo "  SYSROOT  $dir: $suite $arch: $*"
