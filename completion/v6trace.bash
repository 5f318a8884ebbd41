# SPDX-License-Identifier: GPL-2.0
# bash completion for v6trace(8)                                   -*- shell-script -*-
# shellcheck shell=bash
# Installed as /usr/share/bash-completion/completions/v6trace, where bash-completion loads it
# the first time v6trace (or sudo v6trace) is completed.

# The options are read from `v6trace --help` each time, so completion offers exactly what the
# installed binary accepts (the same list the manual page is checked against). --help needs no
# privileges and answers in a millisecond; a cache could go stale after an upgrade.
_v6trace_options()
{
	local bin line word

	# `sudo v6trace` completes as "v6trace", and /usr/sbin is not in a user's PATH on Debian
	for bin in "$1" /usr/sbin/v6trace /usr/local/sbin/v6trace; do
		if [[ $bin == */* ]]; then
			[[ -x $bin ]] && break
		else
			bin=$(type -P "$bin") && break
		fi
		bin=
	done
	[[ $bin ]] || return

	# option lines look like "  -p, --pid PID          only this process ..."; the
	# description begins after two spaces
	while read -r line; do
		[[ $line == -* ]] || continue
		line=${line%%  *}
		for word in ${line//,/ }; do
			[[ $word == -* ]] && printf '%s\n' "$word"
		done
	done < <(LC_ALL=C "$bin" --help 2>/dev/null)
}

# Files for -r and -w: recordings first (trace.v6t and its rotated parts trace.v6t.1, ...),
# every file when the directory holds no recording that matches.
_v6trace_recordings()
{
	local f

	_filedir 'v6t?(.+([0-9]))'
	for f in "${COMPREPLY[@]}"; do
		[[ -d $f ]] || return 0
	done
	COMPREPLY=()
	_filedir
}

# Network namespaces for -N: the inode of every process's namespace that we may see, and the
# named ones (ip netns add) by path; a path that is being typed completes as a file.
_v6trace_netns()
{
	local cur=$1 inodes names

	if [[ $cur == /* ]]; then
		_filedir
		return
	fi
	inodes=$(stat -L -c %i /proc/[0-9]*/ns/net 2>/dev/null | sort -un)
	names=$(compgen -G '/run/netns/*' 2>/dev/null)
	mapfile -t COMPREPLY < <(compgen -W "$inodes $names" -- "$cur")
}

_v6trace()
{
	# shellcheck disable=SC2034 # _init_completion sets all five; cword is not needed here
	local cur prev words cword split

	_init_completion -s || return

	case $prev in
	-B | --backend)
		mapfile -t COMPREPLY < <(compgen -W 'auto fentry kprobe tracepoint' -- "$cur")
		return
		;;
	--event)
		mapfile -t COMPREPLY < <(compgen -W 'bind v6only listen accept listening connect
			udp-mapped refused' -- "$cur")
		return
		;;
	--color)
		mapfile -t COMPREPLY < <(compgen -W 'auto always never' -- "$cur")
		return
		;;
	--file-mode)
		# octal permissions: the default, and the default readable by the file's group
		mapfile -t COMPREPLY < <(compgen -W '0600 0640' -- "$cur")
		return
		;;
	-r | --read | -w | --write)
		_v6trace_recordings
		return
		;;
	--metrics)
		# node_exporter's textfile collector reads *.prom files
		_filedir prom
		return
		;;
	-N | --netns)
		_v6trace_netns "$cur"
		return
		;;
	--cgroup)
		# a cgroup v2 directory: containers live under /sys/fs/cgroup
		_filedir -d
		return
		;;
	-p | --pid)
		_pids
		return
		;;
	-u | --uid)
		# numbers only, as -u takes them: the uids of the passwd database
		mapfile -t COMPREPLY < <(compgen -W "$(getent passwd 2>/dev/null | cut -d: -f3)" \
			-- "$cur")
		return
		;;
	--local)
		# this machine's addresses, each a one-host CIDR (ip's "/8" would set host bits)
		mapfile -t COMPREPLY < <(compgen -W "$(ip -o addr show 2>/dev/null |
			awk '{ sub("/.*", "", $4); print $4 }')" -- "$cur")
		return
		;;
	--unit)
		# the units systemd knows here: what --unit matches a task's cgroup against
		mapfile -t COMPREPLY < <(compgen -W "$(systemctl list-units --all --plain --no-legend \
			2>/dev/null | awk '{ print $1 }')" -- "$cur")
		return
		;;
	-c | --comm)
		# -s: the kernel's 15-byte task names, which is what --comm matches
		_pnames -s
		return
		;;
	-P | --port | --peer | -d | --duration | -n | --count | -C | --rotate-size | -W | \
		--rotate-count | --buffer-size | --since | --until | --metrics-interval | \
		--container | --pod)
		# numbers, times, other hosts' addresses, containers' names: nothing sensible to offer
		return
		;;
	esac

	# "--opt=" of an option that takes no argument
	$split && return

	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_v6trace_options "${words[0]}")" -- "$cur")
	fi
} && complete -F _v6trace v6trace

# ex: filetype=sh
