"""Partition storage under pressure (issue #12, "Open files"), on real skiffd processes:

- 2,000 partitions on a node whose open-file limit is 256 (soft = hard): all created, a sample
  produced to and consumed from, before and after a restart, and the node stays healthy;
- max.partitions.per.broker refuses CreateTopics, CreatePartitions and skiffctl create-topic that
  would exceed it, with the reason, also for topics of one request that fit only one at a time;
- a partition whose log directory cannot be created (a file is in its place) answers
  KAFKA_STORAGE_ERROR, is an offline replica in Metadata, is logged once, counted in /metrics,
  announced as an event, and comes back by itself once the file is removed;
- in a 3-node cluster, every node's Metadata shows the offline replica of another node.
"""
import io
import json
import os
import random
import re
import resource
import socket
import struct
import subprocess
import tempfile
import time
import unittest

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewPartitions, NewTopic
from kafka.protocol.fetch import FetchRequest
from kafka.protocol.metadata import MetadataRequest
from kafka.protocol.produce import ProduceRequest
from kafka.record.default_records import DefaultRecordBatchBuilder

from harness import SkiffCluster, SkiffNode, http_get, metric, poll

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))

KAFKA_STORAGE_ERROR = 56
NOT_LEADER_OR_FOLLOWER = 6
LEADER_NOT_AVAILABLE = 5
POLICY_VIOLATION = 44
FILE_LIMIT = 256


def limit_open_files():
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


def open_fds(node):
    return len(os.listdir("/proc/%d/fd" % node.proc.pid))


def recv_exact(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            raise ConnectionError("connection closed after %d of %d bytes" % (len(data), n))
        data += chunk
    return data


def request_frame(request, correlation=17):
    """One request (kafka-python's encoding) framed for the wire, with a v1 request header."""
    client = b"e2e-storage"
    body = request.encode()   # a name for it first: kafka-python's encode() holds its object weakly
    msg = struct.pack(">hhih", request.API_KEY, request.API_VERSION, correlation, len(client)) + client + body
    return struct.pack(">i", len(msg)) + msg


def read_response(sock, request, correlation=17):
    """Reads the response to `request` (sent with this correlation id) from sock and decodes it."""
    size = struct.unpack(">i", recv_exact(sock, 4))[0]
    data = recv_exact(sock, size)
    assert struct.unpack(">i", data[:4])[0] == correlation
    return request.RESPONSE_TYPE.decode(io.BytesIO(data[4:]))


def kafka_request(node, request, correlation=17):
    """Sends one request (kafka-python's encoding) and decodes its response."""
    with socket.create_connection(("127.0.0.1", node.kafka_port), timeout=10) as s:
        s.sendall(request_frame(request, correlation))
        return read_response(s, request, correlation)


def record_batch(value):
    b = DefaultRecordBatchBuilder(magic=2, compression_type=0, is_transactional=0, producer_id=-1,
                                  producer_epoch=-1, base_sequence=-1, batch_size=1 << 20)
    b.append(0, timestamp=int(time.time() * 1000), key=b"k", value=value, headers=[])
    return bytes(b.build())


def produce_error(node, topic, partition, version=7):
    request = ProduceRequest[version](transactional_id=None, required_acks=-1, timeout=10000,
                                      topics=[(topic, [(partition, record_batch(b"raw"))])])
    response = kafka_request(node, request)
    return response.topics[0][1][0][1]


def fetch_error(node, topic, partition):
    request = FetchRequest[11](replica_id=-1, max_wait_time=0, min_bytes=0, max_bytes=1 << 20, isolation_level=0,
                               session_id=0, session_epoch=-1,
                               topics=[(topic, [(partition, -1, 0, -1, 1 << 20)])], forgotten_topics_data=[], rack_id="")
    response = kafka_request(node, request)
    return response.topics[0][1][0][1]


def partition_metadata(node, topic):
    """(error_code, leader, replicas, isr, offline_replicas) of partition 0 from Metadata v5; a
    topic-level error (a node that has not applied the topic's creation yet) is returned as the
    error, with no leader and no replicas."""
    response = kafka_request(node, MetadataRequest[5](topics=[topic], allow_auto_topic_creation=False))
    (t,) = response.topics
    if t[0] != 0:
        return t[0], None, [], [], []
    error, _, leader, replicas, isr, offline = t[3][0]
    return error, leader, list(replicas), list(isr), list(offline)


def create_topics(admin, topics):
    futures = admin.create_topics(topics, operation_timeout=60, request_timeout=120)
    for name, f in futures.items():
        f.result(timeout=180)


def produce_and_consume(node, sample, per_partition=20, tag="a", already=0):
    """Produces per_partition records to each (topic, partition) of sample, then reads each from
    offset 0 until it has `already` + per_partition records; returns them by partition."""
    p = Producer({"bootstrap.servers": node.bootstrap, "acks": "all", "linger.ms": 5})
    for topic, partition in sample:
        for i in range(per_partition):
            p.produce(topic, value=b"%s-%s-%d-%d" % (tag.encode(), topic.encode(), partition, i), partition=partition)
    assert p.flush(120) == 0
    c = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "unused", "enable.auto.commit": False})
    try:
        c.assign([TopicPartition(t, p, 0) for t, p in sample])
        got = {}
        deadline = time.monotonic() + 120
        want = len(sample) * (already + per_partition)
        while sum(len(v) for v in got.values()) < want and time.monotonic() < deadline:
            for m in c.consume(500, timeout=1.0):
                if m.error():
                    raise KafkaException(m.error())
                got.setdefault((m.topic(), m.partition()), []).append(m.value())
    finally:
        c.close()
    return got


def skiffctl(*args, timeout=60):
    return subprocess.run([SKIFFCTL] + list(args), capture_output=True, text=True, timeout=timeout)


class EventWatcher:
    """skiffctl --json watch into a file (a pipe nobody reads would fill up and stall it)."""

    def __init__(self, node):
        self.out = tempfile.TemporaryFile(mode="w+")
        self.proc = subprocess.Popen([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "--json", "watch",
                                      "--rate", "5"], stdout=self.out)

    def events(self, kind):
        """Events of `kind` seen so far (whole lines only)."""
        self.out.seek(0)
        lines = self.out.read().split("\n")[:-1]
        events = [json.loads(line)["event"] for line in lines if '"event"' in line]
        return [e for e in events if e["kind"] == kind]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)
        self.out.close()


class ManyPartitionsUnderALowFileLimit(unittest.TestCase):
    TOPICS = 400
    PARTITIONS = 5   # 2,000 partitions: 6,000 segment files through 256 descriptors

    def check_healthy(self, node, stage):
        self.assertIsNone(node.proc.poll(), "skiffd exited %s:\n%s" % (stage, node.log()[-4000:]))
        self.assertEqual(http_get(node.http_port, "/ready")[0], 200, stage)
        self.assertLess(open_fds(node), FILE_LIMIT, stage)
        self.assertLessEqual(metric(node, "skiff_log_open_files"), FILE_LIMIT // 2, stage)
        self.assertEqual(metric(node, "skiff_partitions_offline"), 0, stage)
        log = node.log()
        self.assertNotIn("Too many open files", log, stage)
        self.assertEqual([l for l in log.splitlines() if " critical " in l], [], stage)

    def test_two_thousand_partitions_with_256_descriptors(self):
        with SkiffNode(preexec_fn=limit_open_files) as node:
            self.assertIn("open-file limit %d (soft = hard limit)" % FILE_LIMIT, node.log())
            self.assertIn("partition logs keep at most %d segment files open" % (FILE_LIMIT // 2), node.log())
            self.assertEqual(metric(node, "skiff_process_max_fds"), FILE_LIMIT)

            admin = AdminClient({"bootstrap.servers": node.bootstrap})
            names = ["many-%03d" % i for i in range(self.TOPICS)]
            started = time.monotonic()
            for first in range(0, len(names), 50):
                create_topics(admin, [NewTopic(n, num_partitions=self.PARTITIONS, replication_factor=1)
                                      for n in names[first:first + 50]])
            print("\n%d partitions created in %.1f s" % (self.TOPICS * self.PARTITIONS, time.monotonic() - started))
            metadata = admin.list_topics(timeout=30)
            mine = [t for t in metadata.topics.values() if t.topic.startswith("many-")]
            self.assertEqual(len(mine), self.TOPICS)
            for t in mine:
                self.assertEqual(len(t.partitions), self.PARTITIONS)
                for p in t.partitions.values():
                    self.assertEqual(p.leader, 1, (t.topic, p.id))
            # The logs are created a few at a time after the topics (the Kafka loop keeps turning).
            poll("every partition's log directory",
                 lambda: len([d for d in os.listdir(node.data_dir) if d.startswith("many-")]) == self.TOPICS * self.PARTITIONS,
                 timeout=120, interval=0.5)
            print("%d partition logs created in %.1f s" % (self.TOPICS * self.PARTITIONS, time.monotonic() - started))
            self.check_healthy(node, "after creating the partitions")

            sample = random.Random(12).sample([(n, p) for n in names for p in range(self.PARTITIONS)], 60)
            got = produce_and_consume(node, sample, tag="before")
            for topic, partition in sample:
                self.assertEqual(got.get((topic, partition)),
                                 [b"before-%s-%d-%d" % (topic.encode(), partition, i) for i in range(20)])
            self.check_healthy(node, "after producing and consuming")

            # Recovery of every log at start goes through the same few descriptors.
            self.assertEqual(node.stop(), 0)
            node.start()
            self.check_healthy(node, "after a restart")
            got = produce_and_consume(node, sample, per_partition=5, tag="after", already=20)
            for topic, partition in sample:
                values = got.get((topic, partition), [])
                self.assertEqual(values[:20], [b"before-%s-%d-%d" % (topic.encode(), partition, i) for i in range(20)])
                self.assertEqual(values[20:], [b"after-%s-%d-%d" % (topic.encode(), partition, i) for i in range(5)])
            self.check_healthy(node, "after the restart's produce and consume")


class PartitionLimit(unittest.TestCase):
    def test_creations_beyond_the_limit_are_refused_with_the_reason(self):
        with SkiffNode(extra_args=["--max-partitions-per-broker", "10"]) as node:
            admin = AdminClient({"bootstrap.servers": node.bootstrap})
            create_topics(admin, [NewTopic("six", num_partitions=6, replication_factor=1)])

            futures = admin.create_topics([NewTopic("five", num_partitions=5, replication_factor=1)], request_timeout=60)
            with self.assertRaises(KafkaException) as refused:
                futures["five"].result(timeout=60)
            error = refused.exception.args[0]
            self.assertEqual(error.code(), POLICY_VIOLATION, error)
            self.assertIn("broker 1 would host 11 partitions, more than max.partitions.per.broker = 10 "
                          "(it hosts 6, this adds 5)", error.str())

            # validate_only is refused the same way.
            futures = admin.create_topics([NewTopic("five", num_partitions=5, replication_factor=1)],
                                          validate_only=True, request_timeout=60)
            with self.assertRaises(KafkaException) as refused:
                futures["five"].result(timeout=60)
            self.assertEqual(refused.exception.args[0].code(), POLICY_VIOLATION)

            # Two topics of one request, each fitting alone (checked against the same image):
            # the limit holds when they are applied, so only the first fits.
            futures = admin.create_topics([NewTopic("three-a", num_partitions=3, replication_factor=1),
                                           NewTopic("three-b", num_partitions=3, replication_factor=1)],
                                          request_timeout=60)
            outcomes = {}
            for name, f in futures.items():
                try:
                    f.result(timeout=60)
                    outcomes[name] = None
                except KafkaException as e:
                    outcomes[name] = e.args[0]
            created = sorted(n for n, e in outcomes.items() if e is None)
            self.assertEqual(len(created), 1, outcomes)
            (failed,) = [e for e in outcomes.values() if e is not None]
            self.assertEqual(failed.code(), POLICY_VIOLATION, failed)
            self.assertIn("broker 1 would host 12 partitions, more than max.partitions.per.broker = 10 "
                          "(it hosts 9, this adds 3)", failed.str())

            futures = admin.create_partitions([NewPartitions(created[0], 5)], request_timeout=60)
            with self.assertRaises(KafkaException) as refused:
                futures[created[0]].result(timeout=60)
            self.assertEqual(refused.exception.args[0].code(), POLICY_VIOLATION)
            self.assertIn("broker 1 would host 11 partitions", refused.exception.args[0].str())

            # The admin socket applies the same rule.
            r = skiffctl("--admin", "127.0.0.1:%d" % node.admin_port, "create-topic", "by-admin", "--partitions", "2")
            self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
            self.assertIn("topic 'by-admin': broker 1 would host 11 partitions, more than max.partitions.per.broker = 10",
                          r.stderr)

            topics = admin.list_topics(timeout=30).topics
            self.assertEqual(sorted(t for t in topics), sorted(["six"] + created))
            self.assertEqual(sum(len(topics[t].partitions) for t in topics), 9)
            self.assertEqual(len(topics[created[0]].partitions), 3)


class PartitionWhoseLogCannotBeCreated(unittest.TestCase):
    def test_offline_reported_once_and_back_by_itself(self):
        with SkiffNode() as node:
            blocker = os.path.join(node.data_dir, "blocked-0")
            with open(blocker, "w") as f:
                f.write("a file where the partition's directory should be\n")
            watcher = EventWatcher(node)
            try:
                self.offline_and_back(node, blocker, watcher)
            finally:
                watcher.stop()

    def offline_and_back(self, node, blocker, watcher):
        poll("the event stream", lambda: watcher.proc.poll() is None and os.fstat(watcher.out.fileno()).st_size > 0,
             timeout=60)
        admin = AdminClient({"bootstrap.servers": node.bootstrap})
        create_topics(admin, [NewTopic("blocked", num_partitions=1, replication_factor=1)])
        offline_since = time.monotonic()

        # Produce and Fetch answer KAFKA_STORAGE_ERROR (older versions: NOT_LEADER_OR_FOLLOWER).
        self.assertEqual(produce_error(node, "blocked", 0), KAFKA_STORAGE_ERROR)
        self.assertEqual(produce_error(node, "blocked", 0, version=3), NOT_LEADER_OR_FOLLOWER)
        self.assertEqual(fetch_error(node, "blocked", 0), KAFKA_STORAGE_ERROR)
        # Metadata: this broker is the offline replica, and no leader is available.
        error, leader, replicas, isr, offline = poll("the offline replica in Metadata",
                                                     lambda: (lambda m: m if m[4] == [1] else None)(
                                                         partition_metadata(node, "blocked")), timeout=60)
        self.assertEqual((error, leader, replicas), (LEADER_NOT_AVAILABLE, -1, [1]))
        self.assertEqual(metric(node, "skiff_partitions_offline"), 1)
        r = skiffctl("--admin", "127.0.0.1:%d" % node.admin_port, "--json", "topics", "blocked")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([p["offline_replicas"] for p in json.loads(r.stdout)["partitions"]], [[1]])
        offline_events = poll("the partition-offline event", lambda: watcher.events("partition-offline"), timeout=10)
        self.assertEqual(len(offline_events), 1, offline_events)
        self.assertIn("partition blocked-0 is offline on broker 1", offline_events[0]["text"])

        # Many requests and several failed retries later (at 1 s and 3 s), still one log line.
        for _ in range(20):
            self.assertEqual(produce_error(node, "blocked", 0), KAFKA_STORAGE_ERROR)
        time.sleep(max(0.0, 3.5 - (time.monotonic() - offline_since)))
        lines = [l for l in node.log().splitlines() if "blocked-0" in l]
        self.assertEqual(len(lines), 1, "\n".join(lines))
        self.assertIn(" critical ", lines[0])
        self.assertIn("its log cannot be opened", lines[0])
        self.assertIn(blocker, lines[0])   # what to fix
        self.assertEqual([l for l in node.log().splitlines() if " critical " in l], lines)
        self.assertEqual(len(watcher.events("partition-offline")), 1)

        # Remove the obstacle: the partition comes back with no one touching the node.
        os.unlink(blocker)
        poll("the partition back online", lambda: "partition blocked-0 is online again" in node.log(), timeout=90)
        self.assertTrue(os.path.isdir(blocker))
        poll("Metadata without the offline replica",
             lambda: partition_metadata(node, "blocked") == (0, 1, [1], [1], []), timeout=30)
        self.assertEqual(metric(node, "skiff_partitions_offline"), 0)
        got = produce_and_consume(node, [("blocked", 0)], per_partition=10, tag="back")
        self.assertEqual(got[("blocked", 0)], [b"back-blocked-0-%d" % i for i in range(10)])
        self.assertEqual(produce_error(node, "blocked", 0), 0)
        self.assertEqual(fetch_error(node, "blocked", 0), 0)
        online = poll("the partition-online event", lambda: watcher.events("partition-online"), timeout=10)
        self.assertEqual(len(online), 1, online)
        self.assertRegex(online[0]["text"], r"partition blocked-0 is online again on broker 1: its log opened at "
                                            r"attempt \d+, after \d+ ms offline")


class OfflineReplicaSeenByEveryNode(unittest.TestCase):
    def test_other_nodes_list_the_offline_replica(self):
        with SkiffCluster(3) as cluster:
            node2 = cluster.node(2)
            blocker = os.path.join(node2.data_dir, "elsewhere-0")
            with open(blocker, "w") as f:
                f.write("a file where node 2's partition directory should be\n")
            admin = AdminClient({"bootstrap.servers": cluster.node(1).bootstrap})
            create_topics(admin, [NewTopic("elsewhere", 1, replica_assignment=[[2]])])
            # Reported by node 2 through the metadata log: nodes 1 and 3 answer the same.
            for n in cluster.nodes:
                poll("node %d listing node 2 as offline" % n.node_id,
                     lambda: partition_metadata(n, "elsewhere") == (LEADER_NOT_AVAILABLE, -1, [2], [2], [2]), timeout=30)
            self.assertEqual(produce_error(node2, "elsewhere", 0), KAFKA_STORAGE_ERROR)
            os.unlink(blocker)
            for n in cluster.nodes:
                poll("node %d seeing the partition back" % n.node_id,
                     lambda: partition_metadata(n, "elsewhere") == (0, 2, [2], [2], []), timeout=90)
            self.assertEqual(produce_error(node2, "elsewhere", 0), 0)


if __name__ == "__main__":
    unittest.main()
