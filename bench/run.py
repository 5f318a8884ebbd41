#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The v6trace benchmark (make bench): one run, configurations alternated round by round,
medians and ratios side by side, as these machines are shared and noisy.

  accept storm   untraced | floor (empty programs on the same hooks) | floor with records (the
                 same, and two empty records per connection to user space) | v6trace text | JSON |
                 -w -q | -s -q (the summary alone) | bpftrace one-liner; and the hook set of
                 --event accept,connect,listen
                 (no syscall hook), against its own floor
  syscall tax    getppid and a pipe ping-pong, untraced | v6trace attached (no events), with
                 syscall tracepoints, with the raw sys_exit fallback, and with no syscall hook
  start-up       exec to ready: v6trace --ready-fd | bpftrace BEGIN (after its probes attach)
  per event      BPF run time per program (kernel.bpf_stats_enabled), CPU and peak RSS; per
                 connection for each hook set, --peer/--local CIDRs among them
  refused        the refused hook (skb:kfree_skb) under an accept storm, where it must send
                 nothing, and under a flood of refused SYNs, which it rate-limits: runs, ns
                 per run, events sent against packets refused, and the flood's rate untraced
                 and traced

Every traced run starts the tracer on the load's own network namespace and waits for its
readiness signal before the load starts: no sleeps decide anything here.
"""
import argparse
import json
import os
import platform
import re
import select
import signal
import statistics
import subprocess
import sys
import threading
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(TOP, ".output", "bench")
V6TRACE = os.path.join(TOP, ".output", "v6trace")
STORM = os.path.join(OUT, "acceptstorm")
FLOOR = os.path.join(OUT, "floor")
# --event kinds whose hooks are TCP state changes only: no syscall runs a v6trace program
STATE_EVENTS = ["--event", "accept,connect,listen"]
# v6trace's storm configurations; one with -w (last) records to a file, replayed as JSON
V6TRACE_CONFIGS = {
    "text": [],
    "json": ["-j"],
    "record": ["-q", "-w"],
    "state": ["-j"] + STATE_EVENTS,
    # the summary alone: v6trace traces only what it is made of (listen, accept, v6only)
    "summary": ["-j", "-s", "-q"],
    "accept-json": ["-j", "--event", "accept"],
    "accept-record": ["-q", "--event", "accept", "-w"],
}
BPFTRACE_PROG = ('tracepoint:syscalls:sys_exit_accept4, tracepoint:syscalls:sys_exit_accept '
                 '/comm == "acceptstorm" && args->ret >= 0/ '
                 '{ printf("%d %s accept fd=%d\\n", pid, comm, args->ret); } '
                 'BEGIN { printf("ready\\n"); }')


def start_load(mode, n):
    p = subprocess.Popen([STORM, "-m", mode, "-n", str(n)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    p.hello = json.loads(p.stdout.readline())
    return p, p.hello["netns"]


def finish_load(p):
    p.stdin.write("go\n")
    p.stdin.flush()
    result = json.loads(p.stdout.readline())
    p.wait(timeout=300)
    return result


def wait_ready(fd, what, timeout=60):
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        sys.exit(f"bench: {what} did not become ready in {timeout}s")


def start_v6trace(args, netns, out_path, env=None):
    r, w = os.pipe()
    out = open(out_path, "w")
    t0 = time.monotonic()
    p = subprocess.Popen([V6TRACE, "-N", str(netns), "--no-snapshot", "--ready-fd", str(w)] + args,
                         pass_fds=[w], stdout=out, stderr=subprocess.PIPE, text=True,
                         env=dict(os.environ, **(env or {})))
    os.close(w)
    wait_ready(r, "v6trace")
    if os.read(r, 16) != b"ready\n":
        sys.exit("bench: v6trace failed to start: " + p.stderr.read())
    os.close(r)
    return p, out, time.monotonic() - t0


# bench/floor.bpf.c's empty programs, one on each hook v6trace's tracepoint backend attaches
FLOOR_PROGS = ["floor_bind", "floor_setsockopt", "floor_recvfrom", "floor_recvmsg",
               "floor_recvmmsg", "floor_sock_state"]
# the same hooks, and two records per connection sent to user space (no fields, no lookups)
FLOOR_RECORDS_PROGS = FLOOR_PROGS[:-1] + ["floor_records"]


def start_floor(progs=FLOOR_PROGS):
    """Empty programs on v6trace's tracepoint hooks: the cost no tracer on them can avoid."""
    p = subprocess.Popen([FLOOR, FLOOR + ".bpf.o", *progs], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    if p.stdout.readline().strip() != "ready":
        sys.exit("bench: the floor programs failed to attach")
    return p


def cpu_seconds(pid):
    """CPU time of a running process (user + system), in ns from /proc/PID/schedstat: the
    utime and stime of /proc/PID/stat count clock ticks, 10 ms each here, as much as a
    whole storm's worth of -w. Summed over threads, as wait4's rusage is at the end."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
            total += int(f.read().split()[0])
    return total / 1e9


def start_bpftrace(out_path):
    """bpftrace with a thread copying its output to a file, so a full pipe never slows it."""
    out = open(out_path, "w")
    ready = threading.Event()
    t0 = time.monotonic()
    p = subprocess.Popen(["bpftrace", "-B", "line", "-e", BPFTRACE_PROG], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)

    def copy():
        for line in p.stdout:
            if line.strip() == "ready":
                ready.set()
            else:
                out.write(line)
        ready.set()
    p.copier = threading.Thread(target=copy, daemon=True)
    p.copier.start()
    if not ready.wait(60) or p.poll() is not None:
        sys.exit("bench: bpftrace failed: " + p.stderr.read())
    return p, out, time.monotonic() - t0


def stop(p, out, cpu_at_ready=0.0):
    """SIGINT, wait; returns (CPU seconds since ready, peak RSS in KiB, stderr)."""
    with open(f"/proc/{p.pid}/status") as f:
        hwm = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
    # bpftrace can miss a SIGINT that lands while it is still setting up: repeat it
    pidfd = os.pidfd_open(p.pid)
    for _ in range(20):
        p.send_signal(signal.SIGINT)
        if select.select([pidfd], [], [], 3)[0]:
            break
    else:
        sys.exit(f"bench: pid {p.pid} ignored SIGINT for a minute")
    os.close(pidfd)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    if hasattr(p, "copier"):
        p.copier.join(30)
    err = p.stderr.read()
    out.close()
    return ru.ru_utime + ru.ru_stime - cpu_at_ready, hwm, err


def count(path, needle):
    with open(path, errors="replace") as f:
        return sum(line.count(needle) for line in f)


def lost_in(path, err):
    lost = 0
    with open(path, errors="replace") as f:
        for line in f:
            if '"event":"lost"' in line:
                lost += json.loads(line)["count"]
    for m in re.finditer(r"lost (\d+) events", err):
        lost += int(m.group(1))
    return lost


def summary_accepts(path):
    """Accepts the -j -s summary counted, over every listener it lists."""
    n = 0
    with open(path) as f:
        for line in f:
            o = json.loads(line)
            if o.get("event") == "summary":
                n += o["accepts_ipv4_mapped"] + o["accepts_ipv4"] + o["accepts_ipv6"]
    return n


def storm_round(config, n, results):
    load, netns = start_load("storm", n)
    path = os.path.join(OUT, f"out-{config}")
    tracer = floor = None
    recording = False
    if config == "floor":
        floor = start_floor()
    elif config == "floor-records":
        floor = start_floor(FLOOR_RECORDS_PROGS)
    elif config == "floor-state":
        floor = start_floor(["floor_sock_state"])
    elif config in V6TRACE_CONFIGS:
        args = V6TRACE_CONFIGS[config]
        recording = args[-1:] == ["-w"]
        tracer, out, _ = start_v6trace(args + [path + ".v6t"] * recording, netns, path)
    elif config == "bpftrace":
        tracer, out, _ = start_bpftrace(path)
    cpu0 = cpu_seconds(tracer.pid) if tracer else 0
    res = finish_load(load)
    r = {"rate": res["per_second"], "made": res["accepted"]}
    if floor:
        floor.stdin.close()
        tail = floor.stdout.read()
        if floor.wait(timeout=60):
            sys.exit("bench: the floor programs failed")
        if config == "floor-records":
            # one record per accept and one per connect, or the floor is not what it says
            m = re.search(r"records (\d+) accepts (\d+)", tail)
            r.update(accepts=int(m.group(2)), events=int(m.group(1)))
    if tracer:
        cpu, hwm, err = stop(tracer, out, cpu0)
        if recording:
            subprocess.run([V6TRACE, "-r", path + ".v6t", "-j"], stdout=open(path, "w"), check=True)
            os.unlink(path + ".v6t")
        if config == "bpftrace":
            accepts = events = count(path, " accept fd=")
        elif config == "summary":
            # no event lines: the listener's own counts, one traced accept per connection
            accepts = events = summary_accepts(path)
        elif config == "text":
            accepts = count(path, " accept ")
            events = accepts + count(path, " connect ")
        else:
            accepts = count(path, '"event":"accept"')
            events = accepts + count(path, '"event":"connect"')
        r.update(accepts=accepts, events=events, lost=lost_in(path, err), cpu=cpu, rss=hwm)
        os.unlink(path)
    results.setdefault(config, []).append(r)


def tax_round(mode, n, traced, results):
    load, netns = start_load(mode, n)
    tracer = None
    if traced:
        # filtered to another namespace: only the cost of being attached, no events
        env = {"V6TRACE_TRACEFS": ""} if traced == "raw" else None
        extra = STATE_EVENTS if traced == "state" else []
        tracer, out, _ = start_v6trace(["-j"] + extra, 1, os.path.join(OUT, "out-tax"), env)
    res = finish_load(load)
    if tracer:
        stop(tracer, out)
    results.setdefault((mode, traced), []).append(res["per_second"])


def startup(rounds):
    v6, bt = [], []
    for _ in range(rounds):
        p, out, t = start_v6trace(["-j"], 1, os.path.join(OUT, "out-start"))
        stop(p, out)
        v6.append(t * 1000)
        p, out, t = start_bpftrace(os.path.join(OUT, "out-start-bt"))
        stop(p, out)
        bt.append(t * 1000)
    return statistics.median(v6), statistics.median(bt)


# hook sets whose BPF cost per connection is compared: text, JSON and -w share "every kind"
# The CIDR filters: the storm's peers are 127.0.0.1 (mapped) and ::1, so the first set keeps
# every event and costs "every kind" plus two LPM lookups per event (a connect and an
# accept per connection); the second drops the ::1 half in the kernel.
CIDR_ALL = ["--peer", "127.0.0.0/8", "--peer", "::1", "--local", "::/0"]
BPF_SETS = {"every kind (text, -j, -w)": ["-j"],
            "-s -q (the summary alone)": ["-j", "-s", "-q"],
            " ".join(STATE_EVENTS): ["-j"] + STATE_EVENTS,
            " ".join(CIDR_ALL) + " (every event matches)": ["-j"] + CIDR_ALL,
            "--peer 127.0.0.0/8 (the ::1 half dropped in the kernel)": ["-j", "--peer",
                                                                         "127.0.0.0/8"],
            # the load's cgroup is no such unit's: decided at start, every event dropped there
            "--unit v6t-bench-none.service (every event dropped in the kernel)":
                ["-j", "--unit", "v6t-bench-none.service"]}


def bpf_prog_costs(n, rounds=3):
    """ns per run of each v6trace program, during a traced storm (every kind) and during
    unrelated syscalls; and the BPF time per connection of each hook set, the median of
    `rounds` storms: kernel-measured run time, so free of the storm's rate noise."""
    def snapshot():
        progs = json.loads(subprocess.run(["bpftool", "prog", "show", "-j"], capture_output=True,
                                          text=True, check=True).stdout)
        return {p["name"]: (p.get("run_time_ns", 0), p.get("run_cnt", 0))
                for p in progs if p.get("name", "").startswith("v6t_")}

    def traced(mode, count_n, args):
        load, netns = start_load(mode, count_n)
        tracer, out, _ = start_v6trace(args, netns if mode == "storm" else 1,
                                       os.path.join(OUT, "out-stats"))
        before = snapshot()
        res = finish_load(load)
        after = snapshot()
        stop(tracer, out)
        delta = {}
        for name, (t, c) in after.items():
            dt, dc = t - before.get(name, (0, 0))[0], c - before.get(name, (0, 0))[1]
            if dc:
                delta[name] = (dt, dc)
        return delta, res

    old = open("/proc/sys/kernel/bpf_stats_enabled").read().strip()
    open("/proc/sys/kernel/bpf_stats_enabled", "w").write("1")
    try:
        costs, per_conn = {}, {}
        for label, mode, count_n in (("storm", "storm", n), ("getppid", "getppid", 1000000)):
            delta, _ = traced(mode, count_n, ["-j"])
            for name, (dt, dc) in delta.items():
                costs[(label, name)] = (dt / dc, dc)
        for i in range(rounds):
            for label, args in BPF_SETS.items():
                delta, res = traced("storm", n, args)
                total = sum(dt for dt, _ in delta.values())
                per_conn.setdefault(label, []).append(total / res["accepted"])
        return costs, {k: statistics.median(v) for k, v in per_conn.items()}
    finally:
        open("/proc/sys/kernel/bpf_stats_enabled", "w").write(old)


def refused_events(path):
    """(events, packets) of the refused events in a JSON Lines file: each stands for
    1 + suppressed packets."""
    events = packets = 0
    with open(path) as f:
        for line in f:
            if '"event":"refused"' in line:
                events += 1
                packets += 1 + json.loads(line)["suppressed"]
    return events, packets


def refused_costs(rounds, storm_n, flood_n):
    """The refused hook's cost, measured by the kernel (bpf_stats): during an accept storm
    (which must not make it send anything) and during a flood of refused SYNs; and the
    flood's connect rate untraced and traced, alternated round by round."""
    def prog_stats():
        progs = json.loads(subprocess.run(["bpftool", "prog", "show", "-j"], capture_output=True,
                                          text=True, check=True).stdout)
        return next(((p.get("run_time_ns", 0), p.get("run_cnt", 0)) for p in progs
                     if p.get("name") == "v6t_tp_refused"), (0, 0))

    def traced(mode, n, args):
        load, netns = start_load(mode, n)
        path = os.path.join(OUT, "out-refused")
        tracer, out, _ = start_v6trace(args, netns, path)
        before = prog_stats()
        res = finish_load(load)
        after = prog_stats()
        stop(tracer, out)
        ev, packets = refused_events(path)
        return res, after[0] - before[0], after[1] - before[1], ev, packets, count(path, '"event":"lost"')

    old = open("/proc/sys/kernel/bpf_stats_enabled").read().strip()
    open("/proc/sys/kernel/bpf_stats_enabled", "w").write("1")
    try:
        rows, rates = {}, {"untraced": [], "traced": []}
        res, dt, dc, ev, _, lost = traced("storm", storm_n, ["-j"])
        rows["accept storm"] = (res["accepted"], dc, dt / max(dc, 1), ev, 0, lost)
        for i in range(rounds):
            for config in (("untraced", "traced") if i % 2 == 0 else ("traced", "untraced")):
                if config == "untraced":
                    load, _ = start_load("refused", flood_n)
                    rates["untraced"].append(finish_load(load)["per_second"])
                    continue
                # the refused kind alone: the flood's connects are not also reported
                res, dt, dc, ev, packets, lost = traced("refused", flood_n,
                                                        ["-j", "--event", "refused"])
                rates["traced"].append(res["per_second"])
                rows.setdefault("refused SYN flood", []).append(
                    (res["refused"], dc, dt / max(dc, 1), ev, packets, lost))
        flood = rows["refused SYN flood"]
        mid = sorted(flood, key=lambda r: r[2])[len(flood) // 2]
        rows["refused SYN flood"] = mid
        ratios = [t / u for t, u in zip(rates["traced"], rates["untraced"])]
        return rows, statistics.median(rates["untraced"]), statistics.median(rates["traced"]), \
            statistics.median(ratios)
    finally:
        open("/proc/sys/kernel/bpf_stats_enabled", "w").write(old)


def rotated(configs, i):
    """Round i's order: rotated so no configuration always runs first or last."""
    return configs[i % len(configs):] + configs[:i % len(configs)]


def paired(storms, c, base):
    """Median and middle half of the per-round ratios c/base: each round runs both within
    seconds, so a drift of the machine's speed over the run cancels out."""
    rs = [a["rate"] / b["rate"] for a, b in zip(storms[c], storms[base])]
    q = statistics.quantiles(rs, n=4) if len(rs) > 1 else [rs[0]] * 3
    return statistics.median(rs), q[0], q[2]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=60000)
    ap.add_argument("--syscalls", type=int, default=2000000)
    ap.add_argument("--refused", type=int, default=100000, help="SYNs in each refused flood")
    a = ap.parse_args()
    if not os.path.ismount("/sys/kernel/tracing"):
        # bpftrace's tracepoint probes need tracefs; v6trace does not
        subprocess.run(["mount", "-t", "tracefs", "nodev", "/sys/kernel/tracing"], check=True)
        print("bench: mounted tracefs at /sys/kernel/tracing for bpftrace", file=sys.stderr)

    storms, taxes = {}, {}
    configs = ["untraced", "floor", "floor-records", "text", "json", "record", "summary", "bpftrace",
               "floor-state", "state"]
    t0 = time.monotonic()
    for i in range(a.rounds):
        for config in rotated(configs, i):
            storm_round(config, a.connections, storms)
        for mode, n in (("getppid", a.syscalls), ("pipe", a.syscalls // 100)):
            order = (False, True, "raw", "state")
            for traced in (order if i % 2 == 0 else order[::-1]):
                tax_round(mode, n, traced, taxes)
        print(f"bench: round {i + 1}/{a.rounds} done ({time.monotonic() - t0:.0f} s)", file=sys.stderr)
    start_v6, start_bt = startup(a.rounds)
    costs, per_conn = bpf_prog_costs(a.connections)
    refused_rows, flood_untraced, flood_traced, flood_ratio = refused_costs(a.rounds, a.connections,
                                                                            a.refused)

    med = {c: statistics.median(r["rate"] for r in storms[c]) for c in configs}

    def ratio_cells(c, base="untraced"):
        m, lo, hi = paired(storms, c, base)
        return f"{m:.3f} | {lo:.3f}-{hi:.3f}"
    lines = []
    emit = lines.append
    emit(f"# v6trace benchmark\n")
    emit(f"- machine: {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}, "
         f"kernel {platform.release()}")
    emit(f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    emit(f"- command: `make bench` (bench/run.py --rounds {a.rounds} --connections {a.connections} "
         f"--syscalls {a.syscalls})")
    emit(f"- backend: {json.dumps(subprocess.run([V6TRACE, '-v', '-d', '1', '-N', '1', '-j', '--no-snapshot'], capture_output=True, text=True).stderr.split(chr(10))[0])}\n")
    emit("## Accept storm (dual-stack [::] listener, IPv4 and IPv6 clients, RST close)\n")
    emit("| configuration | median conn/s | ratio to untraced | middle half of rounds | "
         "accepts captured / made | lost | tracer CPU ms per 10k events | peak RSS KiB |")
    emit("|---|---:|---:|---:|---:|---:|---:|---:|")
    for c in configs:
        rs = storms[c]
        if c == "untraced":
            emit(f"| untraced | {med[c]:.0f} | 1.000 | - | - | - | - | - |")
            continue
        if c in ("floor", "floor-state"):
            name = {"floor": "floor: empty programs on the same hooks",
                    "floor-state": "floor of the TCP-state hook alone"}[c]
            emit(f"| {name} | {med[c]:.0f} | {ratio_cells(c)} | - | - | - | - |")
            continue
        ev = sum(r["accepts"] for r in rs)
        made = sum(r["made"] for r in rs)
        if c == "floor-records":
            emit(f"| floor with records: the same hooks, two empty 160-byte records per connection "
                 f"drained by user space | {med[c]:.0f} | {ratio_cells(c)} | {ev}/{made} | - | - | - |")
            continue
        lost = sum(r["lost"] for r in rs)
        # per 10k events of any kind (v6trace makes two per connection, bpftrace one)
        cpu10k = statistics.median(r["cpu"] / max(r["events"], 1) * 10000 * 1000 for r in rs)
        cpu10k = f"{cpu10k:.1f}" if cpu10k < 10 else f"{cpu10k:.0f}"
        rss = max(r["rss"] for r in rs)
        name = {"text": "v6trace, text to a file", "json": "v6trace -j to a file",
                "record": "v6trace -q -w FILE", "bpftrace": "bpftrace one-liner (accept only)",
                "summary": "v6trace -j -s -q (the summary alone: listen, accept, v6only)",
                "state": "v6trace -j " + " ".join(STATE_EVENTS) + " (no syscall hook)"}[c]
        emit(f"| {name} | {med[c]:.0f} | {ratio_cells(c)} | {ev}/{made} | {lost} | "
             f"{cpu10k} | {rss} |")
    emit("\nRatios are medians of per-round ratios (each round runs every configuration within "
         "seconds of the others).")
    emit(f"v6trace (JSON) against bpftrace: {paired(storms, 'json', 'bpftrace')[0]:.3f} times the throughput. "
         f"v6trace against the floor (its own work): text {paired(storms, 'text', 'floor')[0]:.3f}, "
         f"JSON {paired(storms, 'json', 'floor')[0]:.3f}, -w {paired(storms, 'record', 'floor')[0]:.3f}, "
         f"-s -q {paired(storms, 'summary', 'floor')[0]:.3f}; "
         f"against the floor with records (what showing every connection costs at least): "
         f"text {paired(storms, 'text', 'floor-records')[0]:.3f}, "
         f"JSON {paired(storms, 'json', 'floor-records')[0]:.3f}, "
         f"-w {paired(storms, 'record', 'floor-records')[0]:.3f}; "
         f"{' '.join(STATE_EVENTS)} against its floor {paired(storms, 'state', 'floor-state')[0]:.3f}.\n")
    emit("## Tax on unrelated syscalls (v6trace attached, filtered to another namespace)\n")
    emit("| workload | untraced /s | syscall tracepoints /s | ratio | raw sys_exit fallback /s | ratio | "
         f"{' '.join(STATE_EVENTS)} /s | ratio |")
    emit("|---|---:|---:|---:|---:|---:|---:|---:|")
    for mode in ("getppid", "pipe"):
        def tax(traced):
            """median rate, and the median of per-round ratios to untraced"""
            rs = [a / b for a, b in zip(taxes[(mode, traced)], taxes[(mode, False)])]
            return statistics.median(taxes[(mode, traced)]), statistics.median(rs)
        u = statistics.median(taxes[(mode, False)])
        (t, tr), (raw, rr), (st, sr) = tax(True), tax("raw"), tax("state")
        emit(f"| {mode} | {u:.0f} | {t:.0f} | {tr:.3f} | {raw:.0f} | {rr:.3f} | {st:.0f} | {sr:.3f} |")
    emit("\n## Start-up: exec to attached and ready (median)\n")
    emit(f"| v6trace (--ready-fd) | {start_v6:.1f} ms |\n|---|---:|\n| bpftrace (BEGIN runs) | {start_bt:.1f} ms |")
    emit("\n## BPF programs: run time per invocation (kernel.bpf_stats_enabled)\n")
    emit("| workload | program | ns per run | runs |")
    emit("|---|---|---:|---:|")
    for (label, name), (ns, cnt) in sorted(costs.items()):
        emit(f"| {label} | {name} | {ns:.0f} | {cnt} |")
    emit("\n## BPF time per connection, by hook set (all programs' run time / connections, median of 3 storms)\n")
    emit("| hook set | BPF ns per connection |")
    emit("|---|---:|")
    for label, ns in per_conn.items():
        emit(f"| {label} | {ns:.0f} |")
    emit("\n## The refused hook (skb:kfree_skb, reason NO_SOCKET; kernel.bpf_stats_enabled)\n")
    emit("| workload | connections made or refused | program runs | ns per run | refused events "
         "sent | packets they account for | lost |")
    emit("|---|---:|---:|---:|---:|---:|---:|")
    for label, (made, runs, ns, ev, packets, lost) in refused_rows.items():
        emit(f"| {label} | {made} | {runs} | {ns:.0f} | {ev} | {packets} | {lost} |")
    emit(f"\nThe storm ran v6trace -j (every kind); the flood v6trace -j --event refused. "
         f"The flood's refused connects per second (median of {a.rounds} rounds, alternated): "
         f"untraced {flood_untraced:.0f}, traced {flood_traced:.0f}, median per-round ratio "
         f"{flood_ratio:.3f}.")
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
