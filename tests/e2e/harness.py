"""Starts real skiffd processes on free loopback ports for end-to-end tests.

Every process started here is stopped here, by pid. Nothing listens on a fixed port.
"""
import atexit
import os
import random
import signal
import socket
import struct
import subprocess
import tempfile
import time

SKIFFD = os.environ.get("SKIFFD", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffd"))


_PORT_DIR = os.path.join(tempfile.gettempdir(), "skiff-test-ports")
_reserved = []


def _ephemeral_range():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low, high = (int(x) for x in f.read().split())
            return low, high
    except (OSError, ValueError):
        return 32768, 60999


def _owner_alive(path):
    """Whether the test process that reserved a port still runs (a reservation a moment old
    may not name its owner yet: it counts as alive)."""
    try:
        with open(path) as f:
            text = f.read().strip()
        if not text:
            return time.time() - os.path.getmtime(path) < 60
        os.kill(int(text), 0)
        return True
    except ProcessLookupError:
        return False
    except (OSError, ValueError):
        return True


def _bindable(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _release_reservations():
    for path in _reserved:
        try:
            os.unlink(path)
        except OSError:
            pass


atexit.register(_release_reservations)


def poll(what, fn, timeout=30, interval=0.1):
    """fn() until it returns something truthy, which it returns; fails naming `what`, the time
    waited and the last value (the one poll loop of the e2e tests)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError("%s not seen within %ss; last: %r" % (what, timeout, last))


def free_port():
    """A loopback port nothing listens on, kept for this test process until it exits.

    A port from bind(0) is free only at that moment: a node started seconds later could find it
    taken by an outgoing connection or a listener of a test running alongside (ctest -j). So the
    port comes from below the kernel's ephemeral range, which it never hands out by itself, and
    is reserved by a file in a directory all test processes share, so no concurrent test picks it.
    """
    low, _ = _ephemeral_range()
    first, last = 20000, low - 1
    if last - first >= 1000:
        os.makedirs(_PORT_DIR, exist_ok=True)
        rng = random.SystemRandom()
        for _ in range(500):
            port = rng.randint(first, last)
            path = os.path.join(_PORT_DIR, str(port))
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if not _owner_alive(path):
                    try:
                        os.unlink(path)   # its test process is gone; the next draw may take it
                    except OSError:
                        pass
                continue
            with os.fdopen(fd, "w") as f:
                f.write(str(os.getpid()))
            _reserved.append(path)
            if _bindable(port):
                return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api_versions_ok(port, timeout=0.5):
    """True when something on port answers a Kafka ApiVersions v0 request."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            body = struct.pack(">hhih", 18, 0, 1, 4) + b"test"
            s.sendall(struct.pack(">i", len(body)) + body)
            header = s.recv(4)
            return len(header) == 4
    except OSError:
        return False


def closed_by_peer(sock, wait=30):
    """Seconds until the peer closed `sock` (EOF or reset), reading and dropping what it sends
    meanwhile; None when it stayed open `wait` seconds."""
    start = time.monotonic()
    sock.settimeout(wait)
    try:
        while sock.recv(65536):
            pass
    except (ConnectionResetError, BrokenPipeError):
        pass
    except socket.timeout:
        return None
    return time.monotonic() - start


class SkiffNode:
    """One skiffd process with its own data dir and ports."""

    def __init__(self, data_dir=None, extra_args=(), node_id=1, preexec_fn=None, listeners=()):
        """preexec_fn runs in the child before skiffd starts (e.g. resource.setrlimit).
        listeners: (name, protocol) of Kafka listeners beside PLAINTEXT (kafka_port, the
        inter-broker one), each on its own port in listener_ports; they are written with
        `listeners` instead of the kafka.listen shorthand."""
        self.tmp = None
        self.preexec_fn = preexec_fn
        if data_dir is None:
            self.tmp = tempfile.TemporaryDirectory(prefix="skiff-e2e-")
            data_dir = self.tmp.name + "/data"
        self.data_dir = data_dir
        self.node_id = node_id
        self.kafka_port = free_port()
        self.raft_port = free_port()
        self.admin_port = free_port()
        self.http_port = free_port()
        self.listeners = list(listeners)
        self.listener_ports = {name: free_port() for name, _ in self.listeners}
        self.extra_args = list(extra_args)
        self.proc = None
        self.log_path = None

    @property
    def bootstrap(self):
        return "127.0.0.1:%d" % self.kafka_port

    def kafka_args(self):
        if not self.listeners:
            return ["--kafka-listen", self.bootstrap]
        named = ["PLAINTEXT://" + self.bootstrap] + ["%s://127.0.0.1:%d" % (name, self.listener_ports[name])
                                                     for name, _ in self.listeners]
        protocols = ["PLAINTEXT:PLAINTEXT"] + ["%s:%s" % listener for listener in self.listeners]
        return ["--listeners", ",".join(named), "--listener-security-protocol-map", ",".join(protocols)]

    def args(self):
        return [SKIFFD, "--node-id", str(self.node_id), "--data-dir", self.data_dir] + self.kafka_args() + [
                "--raft-listen", "127.0.0.1:%d" % self.raft_port,
                "--admin-listen", "127.0.0.1:%d" % self.admin_port,
                "--http-listen", "127.0.0.1:%d" % self.http_port] + self.extra_args

    def start(self, wait=True, timeout=30):
        os.makedirs(os.path.dirname(self.data_dir.rstrip("/")) or ".", exist_ok=True)
        if getattr(self, "log_file", None):
            self.log_file.close()
        if self.log_path is None:
            fd, self.log_path = tempfile.mkstemp(prefix="skiffd-", suffix=".log")
            os.close(fd)
        self.log_file = open(self.log_path, "a")   # a restart appends to the same log
        self.proc = subprocess.Popen(self.args(), stdout=self.log_file, stderr=subprocess.STDOUT,
                                     preexec_fn=self.preexec_fn)
        if wait:
            try:
                self.wait_ready(timeout)
            except BaseException:
                self.kill9()   # not ready is not left running; close() still removes its files
                raise
        return self

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("skiffd exited with %s:\n%s" % (self.proc.returncode, self.log()))
            if api_versions_ok(self.kafka_port):
                return
            time.sleep(0.02)
        raise RuntimeError("skiffd not ready after %ss:\n%s" % (timeout, self.log()))

    def log(self):
        if not self.log_path:
            return ""
        self.log_file.flush()
        with open(self.log_path) as f:
            return f.read()

    def stop(self, timeout=30):
        """SIGTERM and wait; returns the exit code."""
        if self.proc is None or self.proc.poll() is not None:
            return self.proc.returncode if self.proc else None
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("skiffd did not stop within %ss of SIGTERM:\n%s" % (timeout, self.log()))

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        try:
            self.kill9()
        finally:
            if getattr(self, "log_file", None):
                self.log_file.close()
            if self.log_path and os.path.exists(self.log_path):
                os.unlink(self.log_path)
            if self.tmp:
                self.tmp.cleanup()

    def __enter__(self):
        # `with SkiffNode(...).start() as n` must not start a second process on the same ports.
        return self if self.proc is not None else self.start()

    def __exit__(self, *exc):
        self.close()


def poll_values(consumer, count, timeout=60):
    """The values a subscribed confluent-kafka Consumer receives until `count` have come or
    `timeout` seconds pass (errors skipped), in arrival order."""
    got = []
    deadline = time.monotonic() + timeout
    while len(got) < count and time.monotonic() < deadline:
        m = consumer.poll(0.5)
        if m is not None and not m.error():
            got.append(m.value())
    return got


def run_skiffd(args, timeout=30):
    """Runs skiffd to completion (for --version, --help, config errors)."""
    return subprocess.run([SKIFFD] + list(args), capture_output=True, text=True, timeout=timeout)


def kcat(*args, input=None, timeout=120):
    return subprocess.run(["kcat"] + list(args), input=input, capture_output=True, timeout=timeout)


def http_get(port, path, timeout=1.0):
    """(status, parsed JSON or None) of GET path on the node's http.listen; (None, None) if down."""
    import http.client
    import json
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        conn.close()
        try:
            return r.status, json.loads(body)
        except ValueError:
            return r.status, None
    except OSError:
        return None, None


def scrape(node):
    """The node's /metrics (served as text format 0.0.4), read by the strict parser of
    prometheus_text: {family: {"type", "help", "samples": [(sample name, labels, value)]}}."""
    import urllib.request
    from prometheus_text import parse
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % node.http_port, timeout=10) as r:
        content_type = r.headers["Content-Type"]
        if not content_type.startswith("text/plain; version=0.0.4"):
            raise AssertionError("/metrics of node %d is served as %r" % (node.node_id, content_type))
        return parse(r.read().decode())


def _matching(families, name, labels):
    """The values of the samples called `name` (a family's own, or a histogram's _count, _sum,
    _bucket) whose labels include `labels` (values compared as text)."""
    return [v for family in families.values() for sample, have, v in family["samples"]
            if sample == name and all(have.get(k) == str(x) for k, x in labels.items())]


def sample_value(families, name, **labels):
    """The value of the one sample `name` with `labels` in a scrape (for several values read from
    one moment); fails naming it when none or several match."""
    values = _matching(families, name, labels)
    if len(values) != 1:
        raise AssertionError("%d samples %s%s in /metrics, not one" % (len(values), name, labels or ""))
    return values[0]


def metric(node, name, **labels):
    """The value of the one sample `name` with `labels` in the node's /metrics."""
    return sample_value(scrape(node), name, **labels)


def metric_sum(nodes, name, **labels):
    """The samples `name` with `labels` summed over the nodes' /metrics (0 where a labelled
    counter has not appeared yet: a node that did no such thing yet)."""
    return sum(sum(_matching(scrape(n), name, labels)) for n in nodes)


class SkiffCluster:
    """N skiffd processes forming one cluster on free loopback ports (ports fixed per node for
    its lifetime, so a restarted node comes back where its peers expect it)."""

    def __init__(self, size=3, extra_args=(), listeners=()):
        self.nodes = [SkiffNode(node_id=i + 1, extra_args=extra_args, listeners=listeners) for i in range(size)]
        self.peers = ",".join("%d@127.0.0.1:%d" % (n.node_id, n.raft_port) for n in self.nodes)
        for n in self.nodes:
            n.extra_args = ["--peers", self.peers] + list(extra_args)

    def node(self, node_id):
        return self.nodes[node_id - 1]

    def start(self, wait=True, timeout=30):
        """Starts every node (and waits until each is ready); a failure stops what it started."""
        try:
            for n in self.nodes:
                n.start(wait=False)
            self.last_start = time.monotonic()
            if wait:
                self.wait_all_ready(timeout)
        except BaseException:
            self.close()
            raise
        return self

    @classmethod
    def started(cls, size=3, extra_args=(), listeners=()):
        """A cluster started, ready and with an elected leader (the usual setUpClass); nothing
        is left running when that fails."""
        cluster = cls(size, extra_args, listeners).start()
        try:
            cluster.wait_leader()
        except BaseException:
            cluster.close()
            raise
        return cluster

    def wait_all_ready(self, timeout=30, nodes=None):
        nodes = nodes or self.nodes
        deadline = time.monotonic() + timeout
        pending = set(n.node_id for n in nodes)
        while pending and time.monotonic() < deadline:
            for n in nodes:
                if n.node_id in pending:
                    if n.proc.poll() is not None:
                        raise RuntimeError("node %d exited with %s:\n%s" % (n.node_id, n.proc.returncode, n.log()))
                    if http_get(n.http_port, "/ready")[0] == 200:
                        pending.discard(n.node_id)
            time.sleep(0.01)
        if pending:
            raise RuntimeError("nodes %s not ready after %ss:\n%s" % (
                sorted(pending), timeout, "\n".join("--- node %d\n%s" % (n.node_id, n.log()[-4000:]) for n in nodes)))
        return time.monotonic()

    def status(self, node_id):
        return http_get(self.node(node_id).http_port, "/status")[1]

    def leader(self, among=None):
        """The leader id all the given (running) nodes agree on, or None."""
        ids = set()
        for n in (among or self.nodes):
            st = http_get(n.http_port, "/status")[1]
            ids.add(st["leader_id"] if st else None)
        return ids.pop() if len(ids) == 1 and None not in ids and 0 not in ids else None

    def wait_leader(self, among=None, timeout=10, not_=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lid = self.leader(among)
            if lid and lid != not_:
                return lid
            time.sleep(0.01)
        raise RuntimeError("no agreed leader within %ss" % timeout)

    def close(self):
        for n in self.nodes:
            n.close()

    def __enter__(self):
        # `with SkiffCluster.started(...) as c` must not start the nodes twice.
        return self if all(n.proc is not None for n in self.nodes) else self.start()

    def __exit__(self, *exc):
        self.close()
