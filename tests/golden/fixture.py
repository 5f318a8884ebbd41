# SPDX-License-Identifier: GPL-2.0
# Records one fixture: run inside a fresh network namespace (see make-fixtures.sh).
import os
import signal
import socket
import subprocess
import sys


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


def main():
    name, out = sys.argv[1], sys.argv[2]
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    netns = os.stat("/proc/self/ns/net").st_ino
    r, w = os.pipe()
    tracer = subprocess.Popen([os.environ["V6TRACE_BIN"], "-N", str(netns), "-q", "-w", out,
                               "--ready-fd", str(w)], pass_fds=[w])
    os.close(w)
    if os.read(r, 16) != b"ready\n":
        sys.exit("v6trace did not become ready")
    keep = {"dualstack": dualstack, "sysctl": sysctl, "holders": holders}[name]()
    tracer.send_signal(signal.SIGINT)
    if tracer.wait(timeout=30) != 0:
        sys.exit("v6trace failed")
    for s in keep:
        s.close()


main()
