#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deploy/v6trace-daemonset.yaml must parse, and name only what v6trace's code uses: each
# capability it adds is one src/ names (src/live/preflight.c lists them with their uses), each
# host path it mounts is one src/ reads (or one of its own output directories, named in its
# args), mounted where the code looks for it; each argument is an option --help lists; and its
# image is the one the Containerfile's comment says it builds.
# Usage: tests/packaging/kubernetes.sh   (from the top of the tree, after `make`)
# Ends with "kubernetes: N passed, M failed"; exit status 1 if anything failed.
set -uo pipefail

bin=${V6TRACE_BIN:-.output/v6trace}
manifest=deploy/v6trace-daemonset.yaml
# shellcheck source=tests/tally.sh
. "$(dirname "$0")/../tally.sh"

# One line per fact: "cap X", "mount HOSTPATH MOUNTPATH", "arg A", "image I", "kind K"
facts=$(/usr/bin/python3 - "$manifest" <<'PY'
import sys, yaml
for doc in yaml.safe_load_all(open(sys.argv[1])):
    print("kind", doc["kind"])
    if doc["kind"] != "DaemonSet":
        continue
    pod = doc["spec"]["template"]["spec"]
    vols = {v["name"]: v["hostPath"]["path"] for v in pod["volumes"]}
    for c in pod["containers"]:
        print("image", c["image"])
        for a in c.get("args", []):
            print("arg", a)
        for cap in c["securityContext"]["capabilities"]["add"]:
            print("cap", cap)
        for m in c["volumeMounts"]:
            print("mount", vols[m["name"]], m["mountPath"])
PY
) || { echo "kubernetes: $manifest does not parse as YAML"; exit 1; }

grep -q '^kind DaemonSet$' <<< "$facts" && pass "$manifest parses, with a DaemonSet" ||
	fail "$manifest has no DaemonSet"
args=$(sed -n 's/^arg //p' <<< "$facts")
# the directories of the files its args name: where it writes (metrics, recordings)
outdirs=$(grep '^/' <<< "$args" | xargs -r -n1 dirname)
help=$("$bin" --help)
while read -r cap; do
	if grep -rqF "CAP_$cap " src/live/preflight.c; then
		pass "CAP_$cap is one src/live/preflight.c lists"
	else
		fail "CAP_$cap is granted, and no code says it uses it"
	fi
done < <(sed -n 's/^cap //p' <<< "$facts")
while read -r host mnt; do
	if [ "$host" != "$mnt" ]; then
		fail "$host is mounted at $mnt, where v6trace does not look"
	elif grep -rqF "$host" src/ || grep -qxF -- "$host" <<< "$outdirs"; then
		pass "$host is read by src/, or written as the args say"
	else
		fail "$host is mounted, and no code reads it"
	fi
done < <(sed -n 's/^mount //p' <<< "$facts")
while read -r a; do
	case "$a" in
	-*) if grep -qE -- "(^| )$a( |,|$)" <<< "$help"; then pass "$a is an option"
	    else fail "$a is no option --help lists"; fi ;;
	esac
done <<< "$args"
image=$(sed -n 's/^image //p' <<< "$facts")
if grep -qF -- "-t $image " Containerfile || grep -qF -- "-t ${image%:latest} " Containerfile; then
	pass "the image $image is what the Containerfile builds"
else
	fail "the image $image is not the Containerfile's"
fi
echo "kubernetes: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
