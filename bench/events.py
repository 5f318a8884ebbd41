#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""How much of v6trace's accept-storm cost is its events, not its hooks: the storm untraced,
under the floor (empty programs on every hook, and on the TCP-state hook alone), and under
v6trace with one event per connection (--event accept, as the bpftrace one-liner sees)
against everything (-w). Run after `make bench` has built the load and the floor, as root:

    python3 bench/events.py [ROUNDS]

Configurations alternate round by round; ratios are medians of per-round ratios to the
untraced storm of the same round, with the middle half of the rounds beside them.
"""
import os
import statistics
import sys

import run as R

CONFIGS = {
    "untraced": None,
    "floor": "floor",
    "floor, TCP-state hook only": "floor-state",
    "--event accept -j": ["-j", "--event", "accept"],
    "--event accept -q -w": ["-q", "-w", os.path.join(R.OUT, "events-accept.v6t"),
                             "--event", "accept"],
    "everything -q -w": ["-q", "-w", os.path.join(R.OUT, "events-all.v6t")],
}


def one(config):
    load, netns = R.start_load("storm", 60000)
    floor = tracer = None
    if config == "floor":
        floor = R.start_floor()
    elif config == "floor-state":
        floor = R.start_floor(["floor_sock_state"])
    elif config:
        tracer, out, _ = R.start_v6trace(config, netns, os.path.join(R.OUT, "events-out"))
    r = R.finish_load(load)
    if floor:
        floor.stdin.close()
        floor.wait()
    if tracer:
        R.stop(tracer, out)
    return r["per_second"]


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    names = list(CONFIGS)
    res = {n: [] for n in names}
    for i in range(rounds):
        for n in names[i % len(names):] + names[:i % len(names)]:
            res[n].append(one(CONFIGS[n]))
        print(f"round {i + 1}/{rounds}", file=sys.stderr, flush=True)
    print(f"{'configuration':28s} {'conn/s':>8s} {'ratio':>6s}  middle half")
    for n in names:
        ratios = [a / b for a, b in zip(res[n], res["untraced"])]
        q = statistics.quantiles(ratios, n=4) if rounds > 1 else [ratios[0]] * 3
        print(f"{n:28s} {statistics.median(res[n]):8.0f} {statistics.median(ratios):6.3f}"
              f"  {q[0]:.3f}-{q[2]:.3f}")


if __name__ == "__main__":
    os.makedirs(R.OUT, exist_ok=True)
    main()
