#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The start-up snapshot's cost (make bench-snapshot): one process in a network namespace of
its own holds N sockets (bench/acceptstorm.c -m hold: TCP listeners and bound UDP sockets,
IPv6 and IPv4), and v6trace lists them. Two timings, each the median of the rounds:

  -l        `v6trace -l -j -N NETNS`, exec to exit
  live      `v6trace -j -N NETNS --ready-fd FD` (the snapshot is taken before ready), exec
            to ready

Every run must list all N sockets, each attributed to the process holding them. With
--before PATH another build runs in the same rounds, alternated with this one, so the two
medians are measured side by side on this noisy machine. Run as root, after `make all`:

    python3 bench/snapshot.py [--rounds R] [--sockets N] [--before PATH]
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

import run as R


def check(path, n, holder, what):
    """Every one of the n sockets listed once, with its holder's pid."""
    with open(path) as f:
        events = [json.loads(line) for line in f]
    listed = [e for e in events if e["event"] == "listening"]
    owned = sum(e["pid"] == holder for e in listed)
    if len(listed) != n or owned != n or len({e["inode"] for e in listed}) != n:
        sys.exit(f"bench: {what} listed {len(listed)} of {n} sockets, {owned} with their holder")


def listing(binary, netns, n, holder):
    """Seconds from exec to exit of -l."""
    path = os.path.join(R.OUT, "out-snapshot-l")
    with open(path, "w") as out:
        t0 = time.monotonic()
        subprocess.run([binary, "-l", "-j", "-N", str(netns)], stdout=out, check=True)
        t = time.monotonic() - t0
    check(path, n, holder, f"{binary} -l")
    os.unlink(path)
    return t


def live(binary, netns, n, holder):
    """Seconds from exec to ready of a live trace, whose snapshot comes before ready."""
    path = os.path.join(R.OUT, "out-snapshot-live")
    r, w = os.pipe()
    out = open(path, "w")
    t0 = time.monotonic()
    p = subprocess.Popen([binary, "-j", "-N", str(netns), "--ready-fd", str(w)], pass_fds=[w],
                         stdout=out, stderr=subprocess.PIPE, text=True)
    os.close(w)
    R.wait_ready(r, binary)
    t = time.monotonic() - t0
    if os.read(r, 16) != b"ready\n":
        sys.exit(f"bench: {binary} failed to start: " + p.stderr.read())
    os.close(r)
    R.stop(p, out)
    check(path, n, holder, f"{binary} (live)")
    os.unlink(path)
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sockets", type=int, default=20000)
    ap.add_argument("--before", help="another v6trace build, measured in the same rounds")
    a = ap.parse_args()
    builds = {"this build": R.V6TRACE}
    if a.before:
        builds["before"] = a.before
    times = {(b, m): [] for b in builds for m in ("-l", "live")}
    for i in range(a.rounds):
        load, netns = R.start_load("hold", a.sockets)
        for name in R.rotated(list(builds), i):
            holder = load.hello["holder"]
            times[(name, "-l")].append(listing(builds[name], netns, a.sockets, holder))
            times[(name, "live")].append(live(builds[name], netns, a.sockets, holder))
        R.finish_load(load)
        print(f"bench: round {i + 1}/{a.rounds} done", file=sys.stderr, flush=True)
    print(f"{a.sockets} sockets held by one process, median of {a.rounds} rounds\n")
    print("| build | -l: exec to exit | live: exec to ready |")
    print("|---|---:|---:|")
    for name, path in builds.items():
        cells = [f"{statistics.median(times[(name, m)]) * 1000:.0f} ms" for m in ("-l", "live")]
        print(f"| {name} ({path}) | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    os.makedirs(R.OUT, exist_ok=True)
    main()
