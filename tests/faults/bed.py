"""The fault bed's own network: Linux network namespaces joined by a bridge, and nothing else.

Layout of one bed (PREFIX = "skf" + the owner's pid, so names say whose they are):
  PREFIX-hub    holds the bridge; one veth end per member plugs into it
  PREFIX-n<i>   node i, address 10.77.0.<i> on its eth0
  PREFIX-cl     the clients and the bed's own driver, address 10.77.0.200
The addresses exist only inside these namespaces, so no fault can reach anything outside them.
Faults between nodes are nftables rules in a node's namespace (table "inet skiffbed"); slow links
are tc qdiscs on a node's eth0. Mounts (size-limited data directories) live under a directory
named after PREFIX too. close() removes all of it; leftovers() removes what a crashed earlier bed
left behind (its owner pid is gone).
"""
import ctypes
import os
import re
import shutil
import signal
import subprocess
import tempfile

CLONE_NEWNET = 0x40000000
NAME = re.compile(r"^skf(\d+)-")
SUBNET = "10.77.0"
CLIENT_HOST = 200


class BedError(RuntimeError):
    pass


def require_root():
    if os.geteuid() != 0:
        raise BedError("the fault bed needs root (network namespaces, nftables, mounts); run it as root")


def sh(*args, check=True, ns=None, input=None):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True, input=input)
    if check and r.returncode != 0:
        raise BedError("%s: %s" % (" ".join(cmd), (r.stderr or r.stdout).strip()))
    return r


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _kill_namespace_processes(ns):
    r = sh("ip", "netns", "pids", ns, check=False)
    for pid in r.stdout.split():
        if pid == str(os.getpid()):
            continue
        try:
            os.kill(int(pid), signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass


def mounts_under(root):
    with open("/proc/self/mounts") as f:
        points = [line.split()[1] for line in f]
    return sorted((p for p in points if p.startswith(root.rstrip("/") + "/")), key=len, reverse=True)


def leftovers():
    """Removes namespaces and mounts of earlier beds whose owner is gone. Returns their names."""
    removed = []
    for line in sh("ip", "netns", "list", check=False).stdout.splitlines():
        name = line.split()[0] if line.split() else ""
        m = NAME.match(name)
        if m and not _pid_alive(int(m.group(1))):
            _kill_namespace_processes(name)
            sh("ip", "netns", "delete", name, check=False)
            removed.append(name)
    base = tempfile.gettempdir()
    for entry in os.listdir(base):
        m = re.match(r"^skiffbed-skf(\d+)$", entry)
        if m and not _pid_alive(int(m.group(1))):
            root = os.path.join(base, entry)
            for point in mounts_under(root):
                subprocess.run(["umount", "-l", point], capture_output=True)
            shutil.rmtree(root, ignore_errors=True)
            removed.append(root)
    return removed


def _setns(path):
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise BedError("setns(%s): %s" % (path, os.strerror(ctypes.get_errno())))
    finally:
        os.close(fd)


class Bed:
    def __init__(self, size):
        require_root()
        self.prefix = "skf%d" % os.getpid()
        self.size = size
        self.hub = self.prefix + "-hub"
        self.client_ns = self.prefix + "-cl"
        self.root = os.path.join(tempfile.gettempdir(), "skiffbed-" + self.prefix)
        self._entered = False
        self.namespaces = []
        self.slow = set()

    def node_ns(self, i):
        return "%s-n%d" % (self.prefix, i)

    def host(self, i):
        return "%s.%d" % (SUBNET, i)

    def _add_member(self, ns, host, port_name):
        sh("ip", "netns", "add", ns)
        self.namespaces.append(ns)
        sh("ip", "link", "add", "name", port_name, "type", "veth", "peer", "name", "eth0", "netns", ns, ns=self.hub)
        sh("ip", "link", "set", "dev", port_name, "master", "br0", "up", ns=self.hub)
        sh("ip", "addr", "add", "%s.%d/24" % (SUBNET, host), "dev", "eth0", ns=ns)
        sh("ip", "link", "set", "dev", "eth0", "up", ns=ns)
        sh("ip", "link", "set", "dev", "lo", "up", ns=ns)

    def create(self):
        leftovers()
        os.makedirs(self.root, exist_ok=True)
        sh("ip", "netns", "add", self.hub)
        self.namespaces.append(self.hub)
        sh("ip", "link", "add", "name", "br0", "type", "bridge", ns=self.hub)
        sh("ip", "link", "set", "dev", "br0", "up", ns=self.hub)
        for i in range(1, self.size + 1):
            self.add_node(i)
        self._add_member(self.client_ns, CLIENT_HOST, "cl")
        return self

    def add_node(self, i):
        """Node i's namespace, plugged into the bridge, with the (empty) set of addresses it
        does not hear (cut() fills it)."""
        self._add_member(self.node_ns(i), i, "n%d" % i)
        sh("nft", "-f", "-", ns=self.node_ns(i), input=(
            "table inet skiffbed {\n set cut { type ipv4_addr; }\n"
            " chain input { type filter hook input priority 0; ip saddr @cut drop; }\n"
            " chain output { type filter hook output priority 0; }\n}\n"))

    # --- faults on links -------------------------------------------------------------------

    def cut(self, to, from_):
        """Drops every packet node `to` receives from node `from_` (one direction)."""
        sh("nft", "add", "element", "inet", "skiffbed", "cut", "{ %s }" % self.host(from_), ns=self.node_ns(to))

    def heal_cuts(self, nodes):
        for i in nodes:
            sh("nft", "flush", "set", "inet", "skiffbed", "cut", ns=self.node_ns(i))

    def heal_slow(self, i):
        if i in self.slow:
            sh("tc", "qdisc", "del", "dev", "eth0", "root", ns=self.node_ns(i), check=False)
            sh("nft", "flush", "chain", "inet", "skiffbed", "output", ns=self.node_ns(i))
            self.slow.discard(i)

    def heal(self, nodes):
        self.heal_cuts(nodes)
        for i in nodes:
            self.heal_slow(i)

    def slow_link(self, i, loss_percent=5, delay_ms=50, jitter_ms=20):
        """Delay with jitter, loss and reordering on node i's link (tc netem). On kernels without
        netem, a rate-limiting queue (tbf, its queue adds delay) and nftables random loss stand in;
        the returned text says which was applied."""
        ns = self.node_ns(i)
        r = sh("tc", "qdisc", "add", "dev", "eth0", "root", "netem", "delay", "%dms" % delay_ms,
               "%dms" % jitter_ms, "loss", "%d%%" % loss_percent, "reorder", "25%", ns=ns, check=False)
        self.slow.add(i)
        if r.returncode == 0:
            return "netem delay %dms±%dms loss %d%% reorder 25%%" % (delay_ms, jitter_ms, loss_percent)
        sh("tc", "qdisc", "add", "dev", "eth0", "root", "tbf", "rate", "2mbit", "burst", "16kbit",
           "latency", "%dms" % (delay_ms * 4), ns=ns)
        sh("nft", "add", "rule", "inet", "skiffbed", "output", "numgen", "random", "mod", "100", "<",
           str(loss_percent), "drop", ns=ns)
        return "tbf 2mbit (no netem in this kernel) + nftables loss %d%%" % loss_percent

    # --- disk ------------------------------------------------------------------------------

    @staticmethod
    def fill(path):
        """Writes the file at path until its filesystem has no byte left; returns the bytes
        written (remove the file to free them)."""
        written = 0
        with open(path, "wb", buffering=0) as f:
            for size in (1 << 20, 4096, 1):   # down to the last byte the filesystem has
                chunk = b"\0" * size
                try:
                    while True:
                        written += f.write(chunk)
                except OSError:
                    pass
        return written

    def small_disk(self, name, megabytes):
        """A tmpfs of the given size at root/name (a data directory that can fill up)."""
        path = os.path.join(self.root, name)
        os.makedirs(path, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=%dm" % megabytes, "tmpfs", path], check=True)
        return path

    # --- lifetime --------------------------------------------------------------------------

    def enter_client_host(self):
        """Moves this process's main thread into the client namespace: threads and processes
        started afterwards (clients, workers) inherit it, so every connection comes from the
        client host, which no partition cuts off. close() moves it back."""
        self._home = os.open("/proc/self/ns/net", os.O_RDONLY)
        _setns("/run/netns/" + self.client_ns)
        self._entered = True

    def close(self):
        if self._entered:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.setns(self._home, CLONE_NEWNET)
            os.close(self._home)
            self._entered = False
        for ns in self.namespaces:
            _kill_namespace_processes(ns)
        for ns in reversed(self.namespaces):
            sh("ip", "netns", "delete", ns, check=False)
        self.namespaces = []
        if os.path.isdir(self.root):
            for point in mounts_under(self.root):
                subprocess.run(["umount", "-l", point], capture_output=True)
            shutil.rmtree(self.root, ignore_errors=True)
