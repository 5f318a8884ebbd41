#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""How much of v6trace's accept-storm cost is its events, not its hooks: the storm untraced,
under the floor (empty programs on every hook, and on the TCP-state hook alone), and under
v6trace with one event per connection (--event accept, as the bpftrace one-liner sees)
against everything (-w). Run after `make bench` has built the load and the floor, as root:

    python3 bench/events.py [ROUNDS]

The storm rounds are bench/run.py's: configurations alternate round by round; ratios are
medians of per-round ratios to the untraced storm of the same round, with the middle half
of the rounds beside them.
"""
import os
import statistics
import sys

import run as R

CONFIGS = {
    "untraced": "untraced",
    "floor": "floor",
    "floor, TCP-state hook only": "floor-state",
    "--event accept -j": "accept-json",
    "--event accept -q -w": "accept-record",
    "everything -q -w": "record",
}


def main():
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    configs = list(CONFIGS.values())
    storms = {}
    for i in range(rounds):
        for config in R.rotated(configs, i):
            R.storm_round(config, 60000, storms)
        print(f"round {i + 1}/{rounds}", file=sys.stderr, flush=True)
    print(f"{'configuration':28s} {'conn/s':>8s} {'ratio':>6s}  middle half  accepts/made  lost")
    for name, c in CONFIGS.items():
        rs = storms[c]
        m, lo, hi = R.paired(storms, c, "untraced")
        seen = f"{sum(r['accepts'] for r in rs)}/{sum(r['made'] for r in rs)}" \
            if "accepts" in rs[0] else "-"
        lost = sum(r["lost"] for r in rs) if "lost" in rs[0] else "-"
        print(f"{name:28s} {statistics.median(r['rate'] for r in rs):8.0f} {m:6.3f}"
              f"  {lo:.3f}-{hi:.3f}  {seen:>12s}  {lost}")


if __name__ == "__main__":
    os.makedirs(R.OUT, exist_ok=True)
    main()
