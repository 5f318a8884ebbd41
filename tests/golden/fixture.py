# SPDX-License-Identifier: GPL-2.0
# Records one fixture: run inside a fresh network namespace (see make-fixtures.sh).
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile


def dualstack():
    s = socket.socket(socket.AF_INET6)
    s.bind(("::", 8080))
    s.listen()
    keep = [s]
    for _ in range(3):
        keep.append(socket.create_connection(("127.0.0.1", 8080)))
        keep.append(s.accept()[0])
    keep.append(socket.create_connection(("::1", 8080)))
    keep.append(s.accept()[0])
    v4 = socket.socket()
    v4.bind(("0.0.0.0", 22))
    v4.listen()
    v6 = socket.socket(socket.AF_INET6)
    v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    v6.bind(("::", 22))
    v6.listen()
    keep += [v4, v6, socket.create_connection(("127.0.0.1", 22)), v4.accept()[0],
             socket.create_connection(("::1", 22)), v6.accept()[0]]
    late = socket.socket(socket.AF_INET6)
    late.bind(("::", 8443))
    try:
        late.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    except OSError:
        pass
    clash = socket.socket(socket.AF_INET6)
    try:
        clash.bind(("::", 22))
    except OSError:
        pass
    m = socket.socket(socket.AF_INET6)
    m.bind(("::ffff:127.0.0.1", 9090))
    m.listen()
    keep += [m, socket.create_connection(("127.0.0.1", 9090)), m.accept()[0]]
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.bind(("::", 5353))
    return keep + [late, clash, u]


def sysctl():
    with open("/proc/sys/net/ipv6/bindv6only", "w") as f:
        f.write("1")
    s = socket.socket(socket.AF_INET6)
    s.bind(("::", 8000))
    s.listen()
    keep = [s, socket.create_connection(("::1", 8000)), s.accept()[0]]
    d = socket.socket(socket.AF_INET6)
    d.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    d.bind(("::", 8001))
    d.listen()
    return keep + [d, socket.create_connection(("127.0.0.1", 8001)), d.accept()[0]]


def holders():
    v4 = socket.socket()
    v4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    v4.bind(("0.0.0.0", 8080))
    v4.listen()
    clash = socket.socket(socket.AF_INET6)
    try:
        clash.bind(("::", 8080))
    except OSError:
        pass
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.bind(("::", 5353))
    u4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        u4.bind(("0.0.0.0", 5353))
    except OSError:
        pass
    return [v4, clash, u, u4]


# owners: cgroups named as Docker and systemd name theirs, with the state Docker keeps, all
# removed once recorded, as a container is gone by the time an incident is looked at
OWNER_ID = "3f2a9c0d4e5b6a7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7"
OWNER_CGROUPS = ["system.slice/docker-%s.scope" % OWNER_ID, "system.slice/v6t-fixture.service"]


def cgroup2_root():
    with open("/proc/self/mountinfo") as f:
        for line in f:
            left, right = line.split(" - ")
            if right.split()[0] == "cgroup2":
                return left.split()[4]
    sys.exit("no cgroup2 mount")


def move_to(cgroup):
    with open(os.path.join(cgroup, "cgroup.procs"), "w") as f:
        f.write("0")


def owners_state(root):
    d = os.path.join(root, "var/lib/docker/containers", OWNER_ID)
    os.makedirs(d)
    with open(os.path.join(d, "config.v2.json"), "w") as f:
        f.write('{"ID":"%s","Name":"/shop-web"}' % OWNER_ID)


def owners():
    top = os.path.join(cgroup2_root(), "v6t-fixture-%d" % os.getpid())
    with open("/proc/self/cgroup") as f:
        home = cgroup2_root() + [l for l in f if l.startswith("0::")][0][3:].strip()
    keep = []
    for i, cg in enumerate(OWNER_CGROUPS):
        os.makedirs(os.path.join(top, cg))
        move_to(os.path.join(top, cg))
        s = socket.socket(socket.AF_INET6)
        s.bind(("::", 8080 + i))
        s.listen()
        keep += [s, socket.create_connection(("127.0.0.1", 8080 + i)), s.accept()[0]]
    move_to(home)
    return keep


def remove_owners():
    for d in sorted(os.listdir(cgroup2_root())):
        if d.startswith("v6t-fixture-"):
            subprocess.run(["find", os.path.join(cgroup2_root(), d), "-depth", "-type", "d",
                            "-exec", "rmdir", "{}", "+"], check=True)


def main():
    name, out = sys.argv[1], sys.argv[2]
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    netns = os.stat("/proc/self/ns/net").st_ino
    env = dict(os.environ)
    if name == "owners":
        env["V6TRACE_TEST_ROOT"] = tempfile.mkdtemp()
        owners_state(env["V6TRACE_TEST_ROOT"])
    r, w = os.pipe()
    tracer = subprocess.Popen([os.environ["V6TRACE_BIN"], "-N", str(netns), "-q", "-w", out,
                               "--ready-fd", str(w)], pass_fds=[w], env=env)
    os.close(w)
    if os.read(r, 16) != b"ready\n":
        sys.exit("v6trace did not become ready")
    keep = {"dualstack": dualstack, "sysctl": sysctl, "holders": holders,
            "owners": owners}[name]()
    tracer.send_signal(signal.SIGINT)
    if tracer.wait(timeout=30) != 0:
        sys.exit("v6trace failed")
    for s in keep:
        s.close()
    if name == "owners":
        remove_owners()
        shutil.rmtree(env["V6TRACE_TEST_ROOT"])


main()
