#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Installs the Debian packages given as arguments that are not installed yet. A fresh machine
# has only the base image, so the build and the tests install what they need themselves.
set -eu
missing_of() {
	missing=""
	for pkg in "$@"; do
		status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
		case "$status" in
		*"install ok installed"*) ;;
		*) missing="$missing $pkg" ;;
		esac
	done
}
missing_of "$@"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing Debian packages:$missing; run as root (sudo make ...) to install them" >&2
	exit 1
fi
# Two of our own installs at once (the VM matrix starts its guests together) would fail on
# apt's lists lock, which apt-get does not wait for: ours take turns, and the later one
# installs only what the earlier left missing. The lock is dpkg's own root-owned directory:
# no file of ours to create where another user could plant one.
exec 9< /var/lib/dpkg
flock -w 600 9 || { echo "install-deps: another install held the lock for 10 minutes" >&2; exit 1; }
missing_of "$@"
[ -z "$missing" ] && exit 0
echo "  APT    $missing"
export DEBIAN_FRONTEND=noninteractive
# another install (unattended upgrades) may hold the dpkg lock: wait for it
lock="-o DPkg::Lock::Timeout=300"
# shellcheck disable=SC2086 # word splitting of the lock option and package list is intended
apt-get $lock update -qq >/dev/null
# shellcheck disable=SC2086
apt-get $lock install -y -qq --no-install-recommends $missing >/dev/null
