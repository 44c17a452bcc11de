"""skiffd nodes inside the bed: one namespace, one address and one data directory each.

Every node listens on its own address with the default ports (they are the bed's addresses, not
the machine's). A node's process is started with `ip netns exec`, which execs skiffd itself, so
the pid the bed holds is skiffd's: kill -9, SIGSTOP and SIGCONT go to exactly that process.
"""
import http.client
import json
import os
import signal
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SKIFFD = os.environ.get("SKIFFD", os.path.join(HERE, "../../build/bin/skiffd"))
SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(HERE, "../../build/bin/skiffctl"))
KAFKA_PORT, RAFT_PORT, ADMIN_PORT, HTTP_PORT = 9092, 9093, 9094, 9095
JOIN_TOKEN = "fault-bed-join-token"


def http_get(host, port, path, timeout=1.0):
    """(status, parsed JSON or None); (None, None) when nothing answers."""
    try:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
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


class Node:
    def __init__(self, bed, node_id, data_root, log_dir, peers=None, join=None, extra=()):
        self.bed = bed
        self.id = node_id
        self.ns = bed.node_ns(node_id)
        self.host = bed.host(node_id)
        self.data_dir = os.path.join(data_root, "data")
        self.log_path = os.path.join(log_dir, "node%d.log" % node_id)
        self.peers = peers
        self.join = join
        self.extra = list(extra)
        self.proc = None
        self.paused = False

    @property
    def bootstrap(self):
        return "%s:%d" % (self.host, KAFKA_PORT)

    def args(self):
        a = [SKIFFD, "--node-id", self.id, "--data-dir", self.data_dir,
             "--kafka-listen", self.bootstrap,
             "--raft-listen", "%s:%d" % (self.host, RAFT_PORT),
             "--admin-listen", "%s:%d" % (self.host, ADMIN_PORT),
             "--http-listen", "%s:%d" % (self.host, HTTP_PORT),
             "--cluster-join-token", JOIN_TOKEN,
             # Every idempotent-producer decision in the node's log: a duplicate the checker finds
             # then says whether the broker missed a retry or the client sent it under a new epoch.
             "--logging-rules", "skiff.producers.debug=true"]
        if self.join:
            a += ["--join", self.join]
        else:
            a += ["--peers", self.peers]
        return ["ip", "netns", "exec", self.ns] + [str(x) for x in a + self.extra]

    def start(self):
        with open(self.log_path, "a") as log:
            log.write("=== start %s\n" % time.strftime("%H:%M:%S"))
            log.flush()
            self.proc = subprocess.Popen(self.args(), stdout=log, stderr=subprocess.STDOUT)
        self.paused = False
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def kill9(self):
        if self.running():
            if self.paused:
                self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait()
        self.paused = False

    def pause(self):
        if self.running():
            self.proc.send_signal(signal.SIGSTOP)
            self.paused = True

    def resume(self):
        if self.running() and self.paused:
            self.proc.send_signal(signal.SIGCONT)
        self.paused = False

    def stop(self, timeout=30):
        if not self.running():
            return
        self.resume()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def log_has(self, text):
        with open(self.log_path) as f:
            return text in f.read()

    def get(self, path, timeout=1.0):
        return http_get(self.host, HTTP_PORT, path, timeout)

    def status(self):
        return self.get("/status")[1]

    def ready(self):
        code, body = self.get("/ready")
        return code == 200, (body or {}).get("reason", "no answer" if code is None else "HTTP %s" % code)

    def skiffctl(self, *args, timeout=30):
        return subprocess.run([SKIFFCTL, "--admin", "%s:%d" % (self.host, ADMIN_PORT)] + list(args),
                              capture_output=True, text=True, timeout=timeout)


def leader_of(status):
    """The leader a node's status names (0: none known)."""
    return (status or {}).get("leader_id", 0) or 0


class Cluster:
    def __init__(self, bed, size, data_roots, log_dir, extra=()):
        peers = ",".join("%d@%s:%d" % (i, bed.host(i), RAFT_PORT) for i in range(1, size + 1))
        self.bed = bed
        self.log_dir = log_dir
        self.extra = list(extra)
        self.nodes = {i: Node(bed, i, data_roots[i], log_dir, peers=peers, extra=extra) for i in range(1, size + 1)}
        self.removed = []   # nodes taken out of the cluster (membership nemesis)

    def start(self):
        for n in self.nodes.values():
            n.start()
        return self

    def bootstrap(self):
        return ",".join(n.bootstrap for n in self.nodes.values())

    def metadata_leader(self):
        votes = {}
        for n in self.nodes.values():
            if n.running() and not n.paused:
                lid = leader_of(n.status())
                if lid:
                    votes[lid] = votes.get(lid, 0) + 1
        return max(votes, key=votes.get) if votes else None

    def wait_ready(self, timeout=60):
        """Waits until every running node answers /ready 200; returns the ones that did not."""
        deadline = time.monotonic() + timeout
        pending = {i for i, n in self.nodes.items() if n.running()}
        while pending and time.monotonic() < deadline:
            for i in sorted(pending):
                if self.nodes[i].ready()[0]:
                    pending.discard(i)
            time.sleep(0.1)
        return sorted(pending)

    def join_node(self, data_root):
        """Starts a new node that joins through the current metadata leader (membership nemesis)."""
        new_id = max(list(self.nodes) + [n.id for n in self.removed]) + 1
        self.bed.add_node(new_id)
        # A node's view of the leader can be stale and name a node removed since (a removed
        # leader answers no join): join through a current member.
        leader = self.metadata_leader()
        via = leader if leader in self.nodes else min(self.nodes)
        node = Node(self.bed, new_id, data_root, self.log_dir, join="%s:%d" % (self.bed.host(via), RAFT_PORT),
                    extra=self.extra)
        self.nodes[new_id] = node
        return node.start()

    def remove_node(self, node_id, timeout_ms=10000):
        """skiffctl remove-node through the other nodes (the caller retires the node once it is out)."""
        others = [n for i, n in self.nodes.items() if i != node_id and n.running() and not n.paused]
        return subprocess.run([SKIFFCTL, "--admin", ",".join("%s:%d" % (n.host, ADMIN_PORT) for n in others),
                               "--timeout-ms", str(timeout_ms), "remove-node", str(node_id)],
                              capture_output=True, text=True, timeout=timeout_ms / 1000 + 30)

    def retire(self, node_id):
        """Stops a node that is no longer a member and leaves it out of every later check."""
        node = self.nodes.pop(node_id)
        node.stop()
        self.removed.append(node)

    def close(self):
        for n in list(self.nodes.values()) + self.removed:
            n.kill9()
