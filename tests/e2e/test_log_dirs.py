"""DescribeLogDirs (key 35) and DescribeProducers (key 61) against a real skiffd, checked against
what is on disk: an idempotent confluent-kafka producer writes to a 2-partition topic, then

- DescribeLogDirs v1-v4 (all partitions, and some of them) lists the one log directory (the data
  directory, absolute) with both partitions, their sizes equal to the sum of their .log files, and
  from v4 the volume's total and usable bytes;
- DescribeProducers lists the producer id and epoch found in the batch headers, the last sequence
  of the records sent to each partition and the last batch's max timestamp; a partition of an
  unknown topic and one past the topic's partitions answer UNKNOWN_TOPIC_OR_PARTITION.

Requests are encoded by hand: no installed client offers these (confluent-kafka 1.7 and kafka-python
2.0.2 lack both; librdkafka 2.0.2 has no DescribeProducers).
"""
import glob
import os
import struct
import time
import unittest

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from harness import SkiffNode
from kafka_wire import api_versions, array, call, compact_array, compact_string, string

NONE, UNKNOWN_TOPIC_OR_PARTITION = 0, 3
TOPIC = "logdirs"
SENT = {0: 30, 1: 57}   # records sent to each partition


def describe_log_dirs(node, version, topics=None):
    """[(error, dir, {topic: {partition: (size, lag, future)}}, total, usable)] and the top-level error.
    topics: None for all, else [(topic, [partitions])]."""
    flexible = version >= 2
    if flexible:
        body = compact_array(topics, lambda t: compact_string(t[0]) + compact_array(
            t[1], lambda p: struct.pack(">i", p)) + b"\x00") + b"\x00"
    else:
        body = array(topics, lambda t: string(t[0]) + array(t[1], lambda p: struct.pack(">i", p)))
    r = call(node, 35, version, flexible, body)
    r.take(">i")   # throttle
    top_error = r.take(">h") if version >= 3 else NONE

    def partition():
        p = (r.take(">i"), r.take(">q"), r.take(">q"), r.take(">?"))
        r.tags()
        return p

    def topic():
        name = r.string()
        parts = r.array(partition)
        r.tags()
        return name, {p[0]: p[1:] for p in parts}

    def result():
        error, log_dir = r.take(">h"), r.string()
        topics_ = dict(r.array(topic))
        total = usable = None
        if version >= 4:
            total, usable = r.take(">q"), r.take(">q")
        r.tags()
        return error, log_dir, topics_, total, usable

    results = r.array(result)
    r.tags()
    r.done()
    return top_error, results


def describe_producers(node, topics):
    """{(topic, partition): (error, message, [(pid, epoch, last seq, last ts, coord epoch, txn start)])}"""
    body = compact_array(topics, lambda t: compact_string(t[0]) + compact_array(
        t[1], lambda p: struct.pack(">i", p)) + b"\x00") + b"\x00"
    r = call(node, 61, 0, True, body)
    r.take(">i")   # throttle

    def producer():
        s = (r.take(">q"), r.take(">i"), r.take(">i"), r.take(">q"), r.take(">i"), r.take(">q"))
        r.tags()
        return s

    def partition():
        p = (r.take(">i"), r.take(">h"), r.string(), r.array(producer))
        r.tags()
        return p

    def topic():
        name = r.string()
        parts = r.array(partition)
        r.tags()
        return [((name, p[0]), p[1:]) for p in parts]

    out = {}
    for entries in r.array(topic):
        out.update(entries)
    r.tags()
    r.done()
    return out


# ---- what is on disk ---------------------------------------------------------------------------

_BATCH = struct.Struct(">qiibIhiqqqhii")   # the 61-byte record batch v2 header


def log_bytes(node, partition):
    return sum(os.path.getsize(p) for p in glob.glob(os.path.join(node.data_dir, "%s-%d" % (TOPIC, partition), "*.log")))


def last_batch(node, partition):
    """(producer id, epoch, last sequence, max timestamp) of the partition's last batch on disk."""
    last = None
    for path in sorted(glob.glob(os.path.join(node.data_dir, "%s-%d" % (TOPIC, partition), "*.log"))):
        with open(path, "rb") as f:
            data = f.read()
        pos = 0
        while pos + _BATCH.size <= len(data):
            (_, length, _, _, _, _, last_delta, _, max_ts, pid, epoch, base_seq, _) = _BATCH.unpack_from(data, pos)
            last = (pid, epoch, base_seq + last_delta, max_ts)
            pos += 12 + length
    return last


class LogDirsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = SkiffNode().start()
        admin = AdminClient({"bootstrap.servers": cls.node.bootstrap})
        for f in admin.create_topics([NewTopic(TOPIC, 2, 1)]).values():
            f.result(30)
        p = Producer({"bootstrap.servers": cls.node.bootstrap, "enable.idempotence": True, "acks": "all",
                      "linger.ms": 5})
        failed = []
        for partition, n in SENT.items():
            for i in range(n):
                p.produce(TOPIC, b"value-%d-%d" % (partition, i), partition=partition,
                          on_delivery=lambda err, msg: err and failed.append(err))
                if i % 10 == 9:
                    p.poll(0.01)   # several batches per partition
        assert p.flush(60) == 0 and not failed, failed

    @classmethod
    def tearDownClass(cls):
        cls.node.close()

    def test_api_versions_lists_both(self):
        apis = api_versions(self.node)
        self.assertEqual(apis.get(35), (1, 4))
        self.assertEqual(apis.get(61), (0, 0))

    def test_describe_log_dirs_every_version(self):
        expected_dir = os.path.abspath(self.node.data_dir).rstrip("/")
        sizes = {p: log_bytes(self.node, p) for p in SENT}
        self.assertTrue(all(s > 0 for s in sizes.values()), sizes)
        for version in (1, 2, 3, 4):
            with self.subTest(version=version):
                top_error, results = describe_log_dirs(self.node, version)
                self.assertEqual(top_error, NONE)
                self.assertEqual(len(results), 1)
                error, log_dir, topics, total, usable = results[0]
                self.assertEqual(error, NONE)
                self.assertEqual(log_dir, expected_dir)
                self.assertIn(TOPIC, topics)
                self.assertEqual(topics[TOPIC], {p: (sizes[p], 0, False) for p in SENT})
                if version >= 4:
                    self.assertGreater(total, 0)
                    self.assertGreater(usable, 0)
                    self.assertLessEqual(usable, total)

    def test_describe_log_dirs_of_some_partitions(self):
        _, results = describe_log_dirs(self.node, 4, [(TOPIC, [1, 7]), ("no-such-topic", [0])])
        ((error, _, topics, _, _),) = results
        self.assertEqual(error, NONE)
        # Kafka lists each topic with a log in the directory, with the partitions asked for.
        self.assertEqual(set(topics[TOPIC]), {1})
        self.assertEqual(topics[TOPIC][1][0], log_bytes(self.node, 1))
        self.assertNotIn("no-such-topic", topics)
        _, results = describe_log_dirs(self.node, 2, [])
        self.assertEqual({t: p for t, p in results[0][2].items() if p}, {})

    def test_describe_producers(self):
        got = describe_producers(self.node, [(TOPIC, [0, 1, 2]), ("no-such-topic", [0])])
        for partition, n in SENT.items():
            pid, epoch, last_seq, max_ts = last_batch(self.node, partition)
            self.assertGreaterEqual(pid, 0)
            self.assertEqual(last_seq, n - 1)   # the batch headers agree with what was sent
            error, message, producers = got[(TOPIC, partition)]
            self.assertEqual((error, message), (NONE, None))
            self.assertEqual(producers, [(pid, epoch, n - 1, max_ts, -1, -1)])
            self.assertLessEqual(abs(max_ts - time.time() * 1000), 600000)
        self.assertEqual(got[(TOPIC, 2)], (UNKNOWN_TOPIC_OR_PARTITION, None, []))
        error, message, producers = got[("no-such-topic", 0)]
        self.assertEqual((error, producers), (UNKNOWN_TOPIC_OR_PARTITION, []))
        self.assertEqual(message, "This server does not host this topic-partition.")


class DescribeProducersOnReplicasTest(unittest.TestCase):
    """As in Kafka, every replica answers DescribeProducers, the followers too (they record the
    sequences they copy): 3 nodes, replication factor 3."""

    def test_every_replica_answers(self):
        from harness import SkiffCluster
        from replicas import wait_isr, wait_state
        cluster = SkiffCluster(3)
        self.addCleanup(cluster.close)
        cluster.start()
        cluster.wait_leader()
        admin = AdminClient({"bootstrap.servers": cluster.nodes[0].bootstrap})
        admin.create_topics([NewTopic("replicated-producers", 1, 3)])["replicated-producers"].result(30)
        state = wait_state(cluster.nodes, "replicated-producers", 0, lambda s: len(s.replicas) == 3, "3 replicas", 10)
        wait_isr(cluster.nodes, "replicated-producers", 0, state.replicas, timeout=30)
        p = Producer({"bootstrap.servers": ",".join(n.bootstrap for n in cluster.nodes), "enable.idempotence": True,
                      "acks": "all"})
        for i in range(12):
            p.produce("replicated-producers", b"v%d" % i)
        self.assertEqual(p.flush(30), 0)
        answers = {}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:   # followers apply what acks=all acknowledged, then answer
            answers = {n.node_id: describe_producers(n, [("replicated-producers", [0])])[("replicated-producers", 0)]
                       for n in cluster.nodes}
            if all(a[0] == NONE and a[2] and a[2][0][2] == 11 for a in answers.values()):
                break
            time.sleep(0.2)
        pids = {a[2][0][0] for a in answers.values() if a[2]}
        self.assertEqual(len(pids), 1, answers)
        for node_id, (error, _, producers) in answers.items():
            self.assertEqual(error, NONE, "node %d: %s" % (node_id, answers))
            self.assertEqual([(s[0], s[2]) for s in producers], [(next(iter(pids)), 11)],
                             "node %d (leader %d): %s" % (node_id, state.leader, answers))


if __name__ == "__main__":
    unittest.main()
