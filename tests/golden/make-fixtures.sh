#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Regenerates the committed recordings in this folder from real runs (as root): v6trace -w
# records socket activity driven in a fresh network namespace (fixture.py; owners: in cgroups
# named as Docker and systemd name theirs, removed once recorded). Then run
# `make golden-update` and read the diff before committing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export V6TRACE_BIN=${V6TRACE_BIN:-$here/../../.output/v6trace}
for name in dualstack sysctl holders owners; do
	unshare --net python3 "$here/fixture.py" "$name" "$here/$name.v6t"
	echo "recorded $name.v6t ($(stat -c %s "$here/$name.v6t") bytes)"
done
# a recording whose last record was cut short, as after kill -9 or a full disk
size=$(stat -c %s "$here/dualstack.v6t")
head -c $((size - 100)) "$here/dualstack.v6t" > "$here/truncated.v6t"
echo "made truncated.v6t"
