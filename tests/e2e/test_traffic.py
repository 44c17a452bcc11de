"""The data plane as an operator sees it (issue #17, the node's side) on 3 real skiffd processes:
a topic of replication factor 3 (its name has '.', '_' and '-', which /metrics labels must carry
as they are); an idempotent acks=all producer writes N records of a known size and a consumer
reads them all.

- the admin status (HTTP /status, the same view as `skiffctl --json status`) counts per topic:
  records in on the partitions' leaders (exactly N over the cluster), records appended as
  followers (exactly 2N: two followers each), records sent to followers (at least 2N) and to the
  consumer (at least N), with bytes at least the records' values;
- Produce latency is split by acks and Fetch by consumer and replica (KafkaApiCount.variants,
  each counted in its API's total too), in the status and in /metrics;
- disks: the data directory's file system with space available and the partition logs' size;
- /metrics carries the per-topic counters and the disk gauges;
- `skiffctl top --iterations 2` while a producer runs shows the topic with records per second
  coming in; with a node stopped it names that node unreachable, its address once;
- a deleted topic's counters go.
Every port is free; every process is started and stopped here.
"""
import os
import subprocess
import threading
import time
import unittest

from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic

from harness import SkiffCluster, metric_sum, poll, scrape
from replicas import wait_isr, wait_state

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
TOPIC = "traffic.e2e_topic-1"
PARTITIONS = 3
N = 600
VALUE = b"v" * 200


def skiffctl(*args, timeout=60):
    return subprocess.run([SKIFFCTL] + list(args), capture_output=True, text=True, timeout=timeout)


def admins(nodes):
    return ",".join("127.0.0.1:%d" % n.admin_port for n in nodes)


def topic_traffic(cluster, nodes=None):
    """{node id: the TOPIC entry of its status' topic_traffic (None: no traffic)}."""
    out = {}
    for n in nodes or cluster.nodes:
        status = cluster.status(n.node_id)
        assert status["traffic_reported"], "node %d does not report traffic" % n.node_id
        (entry,) = [t for t in status["topic_traffic"] if t["topic"] == TOPIC] or [None]
        out[n.node_id] = entry
    return out


def summed(traffic, field):
    return sum((t or {}).get(field, 0) for t in traffic.values())


def rates(line):
    """The numbers of a `skiffctl top` row: records/s in, bytes/s in, records/s and bytes/s to
    consumers, to replicas (a byte rate's unit is its own word)."""
    out = []
    for word in line.split()[1:]:
        try:
            out.append(float(word))
        except ValueError:
            pass
    return out


class TrafficTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = SkiffCluster.started(3)
        cls.addClassCleanup(cls.cluster.close)
        nodes = cls.cluster.nodes
        admin = AdminClient({"bootstrap.servers": nodes[0].bootstrap})
        admin.create_topics([NewTopic(TOPIC, PARTITIONS, 3, config={"min.insync.replicas": "2"})])[TOPIC].result(30)
        for p in range(PARTITIONS):
            state = wait_state(nodes, TOPIC, p, lambda s: len(s.replicas) == 3, "3 replicas", 10)
            wait_isr(nodes, TOPIC, p, state.replicas, timeout=30)

    def produce(self, n, acks="all"):
        producer = Producer({"bootstrap.servers": self.cluster.nodes[0].bootstrap, "acks": acks,
                             "enable.idempotence": acks == "all", "linger.ms": 5})
        for i in range(n):
            producer.produce(TOPIC, VALUE, key=b"k%d" % i)
        self.assertEqual(producer.flush(30), 0)

    def test_1_counters_latency_variants_disks_and_metrics(self):
        cluster = self.cluster
        self.produce(N)
        consumer = Consumer({"bootstrap.servers": cluster.nodes[0].bootstrap, "group.id": "traffic-e2e",
                             "auto.offset.reset": "earliest", "enable.auto.commit": False})
        self.addCleanup(consumer.close)
        consumer.subscribe([TOPIC])
        got = 0
        deadline = time.monotonic() + 60
        while got < N and time.monotonic() < deadline:
            m = consumer.poll(0.5)
            if m is not None and not m.error():
                got += 1
        self.assertEqual(got, N, "the consumer read every record")

        # Followers append what they fetched; their next fetch reports it: poll until all is in.
        traffic = poll("every follower's %d records counted" % N,
                       lambda: (lambda t: t if summed(t, "replica_messages_in") == 2 * N else None)(topic_traffic(cluster)),
                       timeout=30, interval=0.2)
        print("  per node:", {i: t and {k: v for k, v in t.items() if k != "topic"} for i, t in traffic.items()})
        self.assertEqual(summed(traffic, "messages_in"), N, "each record counted once, by its partition's leader")
        self.assertGreaterEqual(summed(traffic, "bytes_in"), N * len(VALUE))
        self.assertGreaterEqual(summed(traffic, "consumer_messages_out"), N)
        self.assertGreaterEqual(summed(traffic, "consumer_bytes_out"), N * len(VALUE))
        self.assertGreaterEqual(summed(traffic, "replica_messages_out"), 2 * N)
        self.assertGreaterEqual(summed(traffic, "replica_bytes_out"), 2 * N * len(VALUE))
        self.assertEqual(summed(traffic, "replica_bytes_in"), 2 * summed(traffic, "bytes_in"),
                         "followers append the leaders' batches byte for byte")

        statuses = {n.node_id: cluster.status(n.node_id) for n in cluster.nodes}
        for node_id, s in statuses.items():
            names = [t["topic"] for t in s["topic_traffic"]]
            self.assertEqual(names, sorted(names), "topic_traffic is sorted by topic")
            # Disks: the data directory, with room and (after the first refresh) the logs' size.
            self.assertTrue(s["disks_reported"])
            (data,) = [d for d in s["disks"] if d["role"] == "data"]
            self.assertEqual(data["path"], cluster.node(node_id).data_dir)
            self.assertGreater(data["available_bytes"], 0)
            self.assertGreaterEqual(data["total_bytes"], data["available_bytes"])
        poll("every node's partition_log_bytes above the records it holds",
             lambda: all([d for d in cluster.status(n.node_id)["disks"] if d["role"] == "data"][0]["partition_log_bytes"]
                         >= N * len(VALUE) for n in cluster.nodes), timeout=10, interval=0.2)

        # Latency variants, each in its API's total too.
        def api(s, name):
            (a,) = [a for a in s["kafka_requests"] if a["api"] == name] or [None]
            return a
        produce_leaders = [s for s in statuses.values() if api(s, "Produce")]
        self.assertTrue(produce_leaders, "some node answered Produce")
        for s in produce_leaders:
            produce = api(s, "Produce")
            variants = {v["api"]: v["requests"] for v in produce["variants"]}
            self.assertIn("acks=all", variants, produce)
            self.assertEqual(sum(variants.values()), produce["requests"], "every Produce is in one acks variant")
            self.assertEqual(produce["latency_micros"]["count"], produce["requests"])
        fetch_variants = {}
        for s in statuses.values():
            fetch = api(s, "Fetch")
            if fetch:
                self.assertEqual(sum(v["requests"] for v in fetch["variants"]), fetch["requests"])
                for v in fetch["variants"]:
                    fetch_variants[v["api"]] = fetch_variants.get(v["api"], 0) + v["requests"]
        self.assertGreater(fetch_variants.get("replica", 0), 0)
        self.assertGreater(fetch_variants.get("consumer", 0), 0)

        # /metrics: the same counters per topic (the label exactly the topic's name), the disks.
        nodes = cluster.nodes
        self.assertEqual(metric_sum(nodes, "skiff_topic_messages_in_total", topic=TOPIC), N)
        self.assertGreaterEqual(metric_sum(nodes, "skiff_topic_bytes_in_total", topic=TOPIC), N * len(VALUE))
        self.assertGreaterEqual(metric_sum(nodes, "skiff_topic_messages_out_total", topic=TOPIC, kind="consumer"), N)
        self.assertGreaterEqual(metric_sum(nodes, "skiff_topic_messages_out_total", topic=TOPIC, kind="replica"), 2 * N)
        self.assertGreaterEqual(metric_sum(nodes, "skiff_topic_bytes_out_total", topic=TOPIC, kind="replica"),
                                2 * N * len(VALUE))
        self.assertEqual(metric_sum(nodes, "skiff_topic_replication_messages_in_total", topic=TOPIC), 2 * N)
        self.assertGreater(metric_sum(nodes, "skiff_kafka_requests_by_variant_total", api="Produce", variant="acks=all"), 0)
        self.assertGreater(metric_sum(nodes, "skiff_kafka_request_by_variant_seconds_count", api="Fetch",
                                      variant="replica"), 0)
        for n in nodes:
            m = scrape(n)
            (disk,) = [(l, v) for _, l, v in m["skiff_disk_available_bytes"]["samples"] if l["role"] == "data"]
            self.assertEqual(disk[0]["path"], n.data_dir)
            self.assertGreater(disk[1], 0)
            self.assertGreater([v for _, l, v in m["skiff_disk_total_bytes"]["samples"] if l["role"] == "data"][0], 0)
            self.assertGreaterEqual(m["skiff_partition_log_bytes"]["samples"][0][2], N * len(VALUE))

    def test_2_top_shows_the_topic_while_a_producer_runs(self):
        stop = threading.Event()

        def keep_producing():
            producer = Producer({"bootstrap.servers": self.cluster.nodes[0].bootstrap, "acks": 1, "linger.ms": 5})
            while not stop.is_set():
                for _ in range(50):
                    producer.produce(TOPIC, VALUE)
                producer.poll(0)
                time.sleep(0.02)
            producer.flush(10)
        runner = threading.Thread(target=keep_producing)
        runner.start()
        try:
            r = skiffctl("--admin", admins(self.cluster.nodes[:1]), "top", "--iterations", "2", "--interval-ms", "1000")
        finally:
            stop.set()
            runner.join()
        self.assertEqual(r.returncode, 0, r.stderr)
        print(r.stdout)
        frames = [f for f in r.stdout.split("skiffctl top: ") if f.strip()]
        self.assertEqual(len(frames), 2, r.stdout)
        self.assertNotIn("\x1b[2J", r.stdout, "no screen clearing when stdout is not a terminal")
        for frame in frames:
            self.assertTrue(frame.startswith("3 of 3 nodes rated"), frame)
            (row,) = [rates(line) for line in frame.splitlines() if line.split()[:1] == [TOPIC]]
            self.assertEqual(len(row), 6, frame)
            self.assertGreater(row[0], 0, "records per second in:\n" + frame)
            self.assertGreater(row[1], 0, "bytes per second in:\n" + frame)
            self.assertGreater(row[4], 0, "records per second to replicas:\n" + frame)
            (total,) = [rates(line) for line in frame.splitlines() if line.split()[:1] == ["cluster"]]
            self.assertGreater(total[0], 0, frame)
            nodes = [line for line in frame.splitlines() if line.startswith("node ")]
            self.assertEqual(len(nodes), 3, frame)

    def test_3_top_names_an_unreachable_node_once_and_a_deleted_topic_loses_its_counters(self):
        cluster = self.cluster
        stopped = cluster.node(3)
        stopped.stop()
        up = cluster.nodes[:2]
        r = skiffctl("--admin", admins(up), "--timeout-ms", "2000", "top", "--iterations", "1", "--interval-ms", "300")
        self.assertEqual(r.returncode, 0, r.stderr)
        (line,) = [l for l in r.stdout.splitlines() if l.startswith("node 3:")]
        self.assertIn("unreachable", line)
        self.assertEqual(line.count("127.0.0.1:%d" % stopped.admin_port), 1, line)
        self.assertTrue(r.stdout.startswith("skiffctl top: 2 of 3 nodes rated"), r.stdout)

        # No wait for an election: a stopping metadata leader hands leadership over first, and
        # a proposal forwarded to a lost leader goes again to the next (ProposalTracker.h).
        admin = AdminClient({"bootstrap.servers": up[0].bootstrap})
        admin.delete_topics([TOPIC])[TOPIC].result(30)
        poll("the deleted topic's counters gone on the running nodes",
             lambda: all(t is None for t in topic_traffic(cluster, up).values()), timeout=30, interval=0.2)
        self.assertEqual(metric_sum(up, "skiff_topic_messages_in_total", topic=TOPIC), 0)


if __name__ == "__main__":
    unittest.main()
