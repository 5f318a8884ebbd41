#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Downloads Debian packages of any suite and architecture without touching the system's apt:
# a private apt configuration in DIR lists SUITE and SUITE-security from the same archives the
# system's sources already name (only the suite differs), so no host name is written anywhere.
# Nothing is installed; the .deb files land in DIR/debs.
#
#   scripts/debian-apt.sh DIR SUITE ARCH download PACKAGE...  (prints the downloaded files' paths)
#   scripts/debian-apt.sh DIR SUITE ARCH depends PACKAGE      (prints the packages it depends on)
#
# The package lists are kept in DIR and refreshed when older than a day.
set -euo pipefail
usage="usage: debian-apt.sh DIR SUITE ARCH download|depends PACKAGE..."
[ $# -ge 5 ] || { echo "debian-apt: $usage" >&2; exit 2; }
dir=$1 suite=$2 arch=$3 verb=$4
shift 4
case $verb in download|depends) ;; *) echo "debian-apt: $usage" >&2; exit 2 ;; esac
case $suite in *[!a-z]*) echo "debian-apt: bad suite '$suite'" >&2; exit 2 ;; esac
case $arch in *[!a-z0-9]*) echo "debian-apt: bad architecture '$arch'" >&2; exit 2 ;; esac

# The archive URIs of the system's own Debian sources (deb822 .sources files or one-line
# .list files): the main archive, and the one serving a *-security suite.
system_uris() {
	local f
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] && awk '$1 == "deb" { u = ""; for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { u = $i; break }
			if (u != "") print u, $(i + 1) }' "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] && awk 'BEGIN { RS = ""; FS = "\n" }
			{ u = ""; s = ""; on = 1
			  for (i = 1; i <= NF; i++) {
				if ($i ~ /^URIs:/) { split($i, a, /[ \t]+/); u = a[2] }
				if ($i ~ /^Suites:/) { s = $i; sub(/^Suites:[ \t]*/, "", s); split(s, b, /[ \t]+/); s = b[1] }
				if ($i ~ /^Enabled:[ \t]*no/) on = 0
			  }
			  if (on && u != "" && s != "") print u, s }' "$f"
	done
}
uris=$(system_uris)
# the archive of Debian's keyring-signed suites: the one whose suite has no "-security"
main_uri=$(awk '$2 !~ /-security$/ && $1 ~ /debian\/?$/ { print $1; exit }' <<< "$uris")
sec_uri=$(awk '$2 ~ /-security$/ { print $1; exit }' <<< "$uris")
[ -n "$main_uri" ] || { echo "debian-apt: no Debian archive in the system's apt sources" >&2; exit 1; }
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial" "$dir/debs"
dir=$(cd "$dir" && pwd)
{
	echo "deb [arch=$arch signed-by=$keyring] $main_uri $suite main"
	[ -n "$sec_uri" ] && echo "deb [arch=$arch signed-by=$keyring] $sec_uri $suite-security main"
} > "$dir/sources.list.new"
fresh=$(find "$dir/lists" -maxdepth 1 -name '*Packages*' -mtime -1 2>/dev/null | head -n 1)
if ! cmp -s "$dir/sources.list.new" "$dir/sources.list" 2>/dev/null; then
	fresh=
fi
mv "$dir/sources.list.new" "$dir/sources.list"
opts=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$dir/lists"
	-o "Dir::Cache=$dir/cache" -o Dir::State::status=/dev/null -o "APT::Architecture=$arch"
	-o "APT::Architectures::=$arch" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
if [ -z "$fresh" ]; then
	apt-get "${opts[@]}" -qq update >/dev/null ||
		{ echo "debian-apt: apt-get update of $suite/$arch failed" >&2; exit 1; }
fi
if [ "$verb" = depends ]; then
	apt-cache "${opts[@]}" depends "$1" | awk '$1 == "Depends:" && $2 !~ /^</ { print $2 }'
	exit 0
fi
(cd "$dir/debs" && apt-get "${opts[@]}" -qq download "$@" >/dev/null) ||
	{ echo "debian-apt: cannot download from $suite/$arch: $*" >&2; exit 1; }
# the newest downloaded file of each, ARCH's or all's
for p in "$@"; do
	deb=$(find "$dir/debs" -maxdepth 1 \( -name "${p%%=*}_*_$arch.deb" -o -name "${p%%=*}_*_all.deb" \) |
		sort -V | tail -n 1)
	[ -n "$deb" ] || { echo "debian-apt: $p was not downloaded" >&2; exit 1; }
	echo "$deb"
done
