"""The two brokers under test, started the same way: N nodes on free loopback ports, each with
its own temporary data directory, Kafka clients on one plaintext listener per node.

Both classes have the same face: start() spawns the nodes and returns at once (the caller times
readiness, see workloads.first_produce), .bootstrap, .pids, .log_tail(), close() (stops only the
processes they started, by pid).

Durability (bench/vs-kafka.sh pairs them, each row says which):
  "pagecache": acknowledged once in the page cache. Kafka's default (no flush settings);
               Skiff's log.flush.mode = interval (fdatasync every second).
  "fsync":     acknowledged once on disk. Kafka with log.flush.interval.messages = 1 (the broker
               default of the topic config flush.messages); Skiff's default, log.flush.mode = fsync.
"""
import base64
import os
import shutil
import subprocess
import sys
import tempfile
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "e2e"))

from harness import SKIFFD, SkiffCluster, free_port  # noqa: E402,F401 - SKIFFD: main.py names it

DURABILITIES = ("pagecache", "fsync")
DURABILITY_MEANS = {
    "pagecache": "acked in page cache: Kafka default / Skiff log.flush.mode=interval",
    "fsync": "acked on disk: Kafka flush.messages=1 / Skiff log.flush.mode=fsync (default)",
}

# kafka-server-start.sh's own settings: KAFKA_HEAP_OPTS and KAFKA_JVM_PERFORMANCE_OPTS.
KAFKA_JVM = ["-Xmx1G", "-Xms1G", "-server", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
             "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
             "-Djava.awt.headless=true"]
LOG4J = os.path.join(HERE, "..", "kafka", "log4j2.properties")

# Settings both brokers get alike (Kafka's shipped server.properties sets the rebalance delay to 0
# too; the consumer benchmark would otherwise wait 3 s for more members).
GROUP_INITIAL_REBALANCE_DELAY_MS = 0


class KafkaCluster:
    """Apache Kafka in KRaft combined mode (each node broker and controller), formatted with
    kafka.tools.StorageTool before start (not part of the cold-start time: Skiff has no such step)."""

    name = "kafka"

    def __init__(self, classpath, size, durability, workdir):
        self.classpath, self.size, self.durability = classpath, size, durability
        self.dir = tempfile.mkdtemp(prefix="kafka-", dir=workdir)
        self.ports = [(free_port(), free_port()) for _ in range(size)]   # (client, controller)
        self.procs, self.logs = [], []
        self.format_seconds = None

    @property
    def bootstrap(self):
        return ",".join("127.0.0.1:%d" % client for client, _ in self.ports)

    @property
    def pids(self):
        return [p.pid for p in self.procs]

    def _properties(self, node_id):
        client, controller = self.ports[node_id - 1]
        voters = ",".join("%d@127.0.0.1:%d" % (i + 1, c) for i, (_, c) in enumerate(self.ports))
        replicas = min(self.size, 3)
        props = {
            "process.roles": "broker,controller",
            "node.id": node_id,
            "controller.quorum.voters": voters,
            "listeners": "PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d" % (client, controller),
            "advertised.listeners": "PLAINTEXT://127.0.0.1:%d" % client,
            "controller.listener.names": "CONTROLLER",
            "inter.broker.listener.name": "PLAINTEXT",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": os.path.join(self.dir, "node%d" % node_id),
            "default.replication.factor": replicas,
            "offsets.topic.replication.factor": replicas,
            "transaction.state.log.replication.factor": replicas,
            "transaction.state.log.min.isr": min(replicas, 2),
            "group.initial.rebalance.delay.ms": GROUP_INITIAL_REBALANCE_DELAY_MS,
        }
        if self.durability == "fsync":
            props["log.flush.interval.messages"] = 1
        path = os.path.join(self.dir, "node%d.properties" % node_id)
        with open(path, "w") as f:
            f.writelines("%s=%s\n" % kv for kv in props.items())
        return path

    def _java(self, main, *args, heap=KAFKA_JVM):
        return ["java"] + list(heap) + ["-Dlog4j2.configurationFile=" + LOG4J, "-cp", self.classpath,
                                        main] + list(args)

    def format(self):
        """Formats every node's storage (one StorageTool JVM per node); returns the seconds taken."""
        import time
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        t0 = time.monotonic()
        for node_id in range(1, self.size + 1):
            done = subprocess.run(self._java("kafka.tools.StorageTool", "format", "-t", cluster_id, "-c",
                                             self._properties(node_id), heap=["-Xmx256M"]),
                                  capture_output=True, text=True)
            if done.returncode != 0:
                raise RuntimeError("kafka-storage format of node %d failed:\n%s%s" % (node_id, done.stdout,
                                                                                      done.stderr))
        self.format_seconds = time.monotonic() - t0
        return self.format_seconds

    def start(self):
        if self.format_seconds is None:
            self.format()
        for node_id in range(1, self.size + 1):
            log = open(os.path.join(self.dir, "node%d.log" % node_id), "w")
            self.logs.append(log.name)
            self.procs.append(subprocess.Popen(self._java("kafka.Kafka", self._properties(node_id)),
                                               stdout=log, stderr=subprocess.STDOUT))
            log.close()
        return self

    def exited(self):
        """A line naming a node that has exited, or None."""
        for i, p in enumerate(self.procs):
            if p.poll() is not None:
                return "kafka node %d exited with %s" % (i + 1, p.returncode)
        return None

    def log_tail(self, chars=3000):
        out = []
        for path in self.logs:
            with open(path, errors="replace") as f:
                out.append("--- %s\n%s" % (path, f.read()[-chars:]))
        return "\n".join(out)

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                p.terminate()
        for p in self.procs:
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class SkiffBrokers:
    """skiffd nodes through the e2e harness (SkiffCluster: --peers for more than one node)."""

    name = "skiff"

    def __init__(self, size, durability, workdir):
        del workdir   # the harness keeps each node's data in its own temporary directory
        mode = "interval" if durability == "pagecache" else "fsync"
        self.size, self.durability = size, durability
        self.cluster = SkiffCluster(size, extra_args=[
            "--logging-level", "warning", "--log-flush-mode", mode,
            "--default-replication-factor", str(min(size, 3)),
            "--group-initial-rebalance-delay-ms", str(GROUP_INITIAL_REBALANCE_DELAY_MS)])
        if size == 1:   # a single node needs no peers
            self.cluster.nodes[0].extra_args = self.cluster.nodes[0].extra_args[2:]
        self.format_seconds = 0.0

    @property
    def bootstrap(self):
        return ",".join(n.bootstrap for n in self.cluster.nodes)

    @property
    def pids(self):
        return [n.proc.pid for n in self.cluster.nodes if n.proc]

    def start(self):
        self.cluster.start(wait=False)
        return self

    def exited(self):
        for n in self.cluster.nodes:
            if n.proc.poll() is not None:
                return "skiffd node %d exited with %s" % (n.node_id, n.proc.returncode)
        return None

    def log_tail(self, chars=3000):
        return "\n".join("--- skiffd node %d\n%s" % (n.node_id, n.log()[-chars:]) for n in self.cluster.nodes)

    def close(self):
        for n in self.cluster.nodes:
            try:
                n.stop()
            except RuntimeError:
                pass
        self.cluster.close()
