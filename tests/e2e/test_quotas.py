"""Client quotas (#18; KIP-546 for the APIs, KIP-13/55/219 for the throttling) on a 3-node cluster.
AlterClientQuotas and DescribeClientQuotas by hand-encoded request (kafka_wire.py: the installed
confluent-kafka 1.7 and kafka-python 2.0 send neither): set through one node, described by another
with Kafka's filters, refusals per entity with Kafka's words. Then librdkafka clients under them:
a producer whose client id has producer_byte_rate runs near that rate (over 10 s: Kafka's rate
spans 10 to 11 one-second windows) while an unthrottled one is much faster, and librdkafka's throttle
callback sees throttle_time_ms; the same for a consumer under consumer_byte_rate. The quotas
survive a restart of every node (from a metadata snapshot and the log after it), /metrics counts
the throttling, and removing a quota lifts it. On a SASL listener a /users/ quota follows the
authenticated user (User:ANONYMOUS without SASL), and request_percentage throttles too. Kafka's own kafka-configs:
tests/interop/test_kafka_tools.py test_client_quotas.
"""
import os
import struct
import subprocess
import sys
import time
import unittest

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kafka_wire as kw  # noqa: E402
from harness import SkiffCluster, SkiffNode, metric, metric_sum, poll  # noqa: E402

NONE, UNSUPPORTED_VERSION, INVALID_REQUEST = 0, 35, 42
EXACT, DEFAULT, SPECIFIED = 0, 1, 2
QUOTA = 200 * 1024          # bytes a second
# Kafka's rate (11 samples of 1 s, never taken over less than 10 s) lets a new client burst to
# quota x 10 s at once, then throttles it to the quota; the burst's sample expires 11 s after it,
# and the next burst follows. Over 10 s a client at full speed gets about quota x 10 s, and one
# request more each time a throttle ends (small batches keep that small: 16 KiB, about 1.2 x quota).
MEASURE_SECONDS = 10
TOPIC = "quota-topic"
VALUE = b"q" * 1000


def compact_nullable(s):
    return kw.uvarint(0) if s is None else kw.compact_string(s)


def entity(parts):
    return kw.compact_array(parts, lambda p: kw.compact_string(p[0]) + compact_nullable(p[1]) + b"\x00")


def alter_quotas(node, entries, validate_only=False):
    """AlterClientQuotas v1 (key 49). entries: [([(type, name)], [(key, value or None to remove)])].
    Returns [(error, message, [(type, name)])] in the response's order."""
    def encode_entry(e):
        parts, ops = e
        return entity(parts) + kw.compact_array(
            ops, lambda o: kw.compact_string(o[0]) + struct.pack(">d?", o[1] or 0.0, o[1] is None) + b"\x00") + b"\x00"
    body = kw.compact_array(entries, encode_entry) + struct.pack(">?", validate_only) + b"\x00"
    r = kw.call(node, 49, 1, True, body)
    r.take(">i")

    def result():
        code, message = r.take(">h"), r.string()
        parts = r.array(lambda: (r.string(), r.string(), r.tags())[:2])
        r.tags()
        return code, message, parts
    results = r.array(result)
    r.tags()
    r.done()
    return results


def describe_quotas(node, components, strict=False):
    """DescribeClientQuotas v1 (key 48). components: [(type, match type, match)].
    Returns (error, message, {((type, name), ...): {key: value}} or None)."""
    body = kw.compact_array(components, lambda c: kw.compact_string(c[0]) + struct.pack(">b", c[1])
                            + compact_nullable(c[2]) + b"\x00") + struct.pack(">?", strict) + b"\x00"
    r = kw.call(node, 48, 1, True, body)
    r.take(">i")
    code, message = r.take(">h"), r.string()

    def entry():
        parts = r.array(lambda: (r.string(), r.string(), r.tags())[:2])
        values = r.array(lambda: (r.string(), r.take(">d"), r.tags())[:2])
        r.tags()
        return tuple(sorted(parts)), dict(values)
    entries = r.array(entry)
    r.tags()
    r.done()
    return code, message, None if entries is None else dict(entries)


class Throttles:
    """librdkafka's throttle callback: the throttle_time_ms brokers answered with, over 0."""
    def __init__(self):
        self.times = []

    def __call__(self, event):
        if event.throttle_time > 0:
            self.times.append(event.throttle_time)


def produce_for(bootstrap, client_id, seconds, max_bytes=64 << 20, conf=None):
    """Produces 1,000-byte values as fast as the client is let, for `seconds` or until `max_bytes`
    are acknowledged (an unthrottled client on a fast machine would fill the disk): (bytes
    acknowledged a second, throttle times seen)."""
    throttles = Throttles()
    acked = [0]
    start = time.monotonic()
    deadline = start + seconds

    def delivered(err, msg):
        if err is None and time.monotonic() <= deadline:
            acked[0] += len(msg.value())
    p = Producer({"bootstrap.servers": bootstrap, "client.id": client_id, "acks": 1, "linger.ms": 5,
                  "batch.size": 16384, "compression.type": "none", "throttle_cb": throttles,
                  "queue.buffering.max.messages": 20000, **(conf or {})})
    produced = 0
    while time.monotonic() < deadline and acked[0] < max_bytes:
        if produced < max_bytes:
            try:
                p.produce(TOPIC, VALUE, on_delivery=delivered)
                produced += len(VALUE)
            except BufferError:
                p.poll(0.01)
        p.poll(0 if produced < max_bytes else 0.01)
    elapsed = time.monotonic() - start
    p.purge()
    p.flush(30)
    return acked[0] / elapsed, throttles.times


def consume_for(bootstrap, client_id, seconds):
    """Reads the topic from the start for `seconds`: (value bytes received a second, throttle times seen)."""
    throttles = Throttles()
    c = Consumer({"bootstrap.servers": bootstrap, "client.id": client_id, "group.id": "g-" + client_id,
                  "enable.auto.commit": False, "max.partition.fetch.bytes": 65536,
                  "throttle_cb": throttles})
    c.assign([TopicPartition(TOPIC, 0, 0)])
    got = 0
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        for m in c.consume(1000, timeout=0.2):
            if m.error():
                raise KafkaException(m.error())
            got += len(m.value())
    elapsed = time.monotonic() - start
    c.close()
    return got / elapsed, throttles.times


class QuotasTest(unittest.TestCase):
    def setUp(self):
        self.cluster = SkiffCluster.started(3, extra_args=["--metadata-snapshot-entries", "10"])
        self.bootstrap = ",".join(n.bootstrap for n in self.cluster.nodes)

    def tearDown(self):
        self.cluster.close()

    def described_everywhere(self, want, components=(), strict=False, timeout=20):
        got = {}

        def agreed():
            for n in self.cluster.nodes:
                got[n.node_id] = describe_quotas(n, list(components), strict)
            return all(g == (NONE, None, want) for g in got.values())
        try:
            poll("every node describes %s" % want, agreed, timeout=timeout)
        except Exception:
            self.fail("nodes describe %s, want %s" % (got, want))

    def test_alter_and_describe_through_kafka(self):
        n1, n2, n3 = self.cluster.nodes
        self.assertEqual(describe_quotas(n2, []), (NONE, None, {}))
        alice = [("user", "alice")]
        results = alter_quotas(n1, [
            (alice, [("producer_byte_rate", 1048576), ("request_percentage", 25.5)]),
            ([("user", "alice"), ("client-id", None)], [("consumer_byte_rate", 2048)]),
            ([("client-id", None)], [("consumer_byte_rate", 4096)]),
            ([("client-id", "bad")], [("bogus_rate", 1)]),
            ([("client-id", "zero")], [("producer_byte_rate", 0)]),
            ([("client-id", "frac")], [("producer_byte_rate", 1.5)]),
            ([("client-id", "twice")], [("producer_byte_rate", 1), ("producer_byte_rate", 2)]),
            ([("group", "g")], [("producer_byte_rate", 1)]),
            ([("user", "")], [("producer_byte_rate", 1)]),
        ])
        by_entity = {tuple(parts): (code, message) for code, message, parts in results}
        self.assertEqual(by_entity[tuple(alice)], (NONE, None))
        self.assertEqual(by_entity[(("user", "alice"), ("client-id", None))], (NONE, None))
        self.assertEqual(by_entity[(("client-id", None),)], (NONE, None))
        self.assertEqual(by_entity[(("client-id", "bad"),)], (INVALID_REQUEST, "Invalid configuration key bogus_rate"))
        self.assertEqual(by_entity[(("client-id", "zero"),)], (INVALID_REQUEST, "Quota producer_byte_rate must be greater than 0"))
        self.assertEqual(by_entity[(("client-id", "frac"),)], (INVALID_REQUEST, "producer_byte_rate cannot be a fractional value."))
        self.assertEqual(by_entity[(("client-id", "twice"),)][0], INVALID_REQUEST)
        self.assertIn("Duplicate quota key producer_byte_rate", by_entity[(("client-id", "twice"),)][1])
        self.assertEqual(by_entity[(("group", "g"),)], (INVALID_REQUEST, "Unhandled client quota entity type: group"))
        self.assertEqual(by_entity[(("user", ""),)], (INVALID_REQUEST, "Empty user not supported"))

        # validate_only checks and stores nothing.
        self.assertEqual(alter_quotas(n1, [([("client-id", "v")], [("producer_byte_rate", 5)])], validate_only=True),
                         [(NONE, None, [("client-id", "v")])])
        self.assertEqual(alter_quotas(n1, [([("client-id", "v")], [("producer_byte_rate", -5)])], validate_only=True)[0][0],
                         INVALID_REQUEST)

        everything = {(("user", "alice"),): {"producer_byte_rate": 1048576.0, "request_percentage": 25.5},
                      (("client-id", None), ("user", "alice")): {"consumer_byte_rate": 2048.0},
                      (("client-id", None),): {"consumer_byte_rate": 4096.0}}
        self.described_everywhere(everything)
        # Kafka's filters: exact name, strict or not; the default entity; any entity with a part.
        self.assertEqual(describe_quotas(n3, [("user", EXACT, "alice")], strict=True)[2],
                         {(("user", "alice"),): everything[(("user", "alice"),)]})
        self.assertEqual(set(describe_quotas(n3, [("user", EXACT, "alice")])[2]),
                         {(("user", "alice"),), (("client-id", None), ("user", "alice"))})
        self.assertEqual(set(describe_quotas(n3, [("client-id", DEFAULT, None)], strict=True)[2]), {(("client-id", None),)})
        self.assertEqual(set(describe_quotas(n3, [("client-id", SPECIFIED, None)])[2]),
                         {(("client-id", None),), (("client-id", None), ("user", "alice"))})
        self.assertEqual(describe_quotas(n3, [("user", EXACT, None)]),
                         (INVALID_REQUEST, "Request specified MATCH_TYPE_EXACT, but set match string to null.", None))
        self.assertEqual(describe_quotas(n3, [("group", SPECIFIED, None)]),
                         (UNSUPPORTED_VERSION, "Unsupported entity type group", None))

        # Removing keys: an entity left with none is gone; removing what is not set is no error.
        self.assertEqual(alter_quotas(n2, [(alice, [("request_percentage", None), ("consumer_byte_rate", None)])]),
                         [(NONE, None, alice)])
        del everything[(("user", "alice"),)]["request_percentage"]
        self.described_everywhere(everything)
        alter_quotas(n2, [(alice, [("producer_byte_rate", None)])])
        del everything[(("user", "alice"),)]
        self.described_everywhere(everything)

    def test_produce_and_fetch_throttled_at_the_quota(self):
        n1, n2, n3 = self.cluster.nodes
        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        for f in admin.create_topics([NewTopic(TOPIC, 1, 1)]).values():
            f.result(30)
        poll("the topic has a leader", lambda: Producer({"bootstrap.servers": self.bootstrap}).list_topics(
            TOPIC, timeout=5).topics[TOPIC].partitions[0].leader >= 0, timeout=30)

        self.assertEqual(alter_quotas(n1, [([("client-id", "slow-producer")], [("producer_byte_rate", QUOTA)]),
                                           ([("client-id", "slow-consumer")], [("consumer_byte_rate", QUOTA)])]),
                         [(NONE, None, [("client-id", "slow-producer")]), (NONE, None, [("client-id", "slow-consumer")])])
        quotas = {(("client-id", "slow-producer"),): {"producer_byte_rate": float(QUOTA)},
                  (("client-id", "slow-consumer"),): {"consumer_byte_rate": float(QUOTA)}}
        self.described_everywhere(quotas)

        # Unthrottled first (it also fills the topic for the consumers).
        fast, fast_throttles = produce_for(self.bootstrap, "fast-producer", 3)
        self.assertGreater(fast, 5 * QUOTA, "an unthrottled producer should be far faster than the quota")
        self.assertEqual(fast_throttles, [])
        slow, slow_throttles = produce_for(self.bootstrap, "slow-producer", MEASURE_SECONDS)
        print("producer: unthrottled %.0f B/s, quota %d B/s, throttled %.0f B/s (%d throttles)"
              % (fast, QUOTA, slow, len(slow_throttles)), flush=True)
        self.assertGreater(slow, 0.5 * QUOTA)
        self.assertLess(slow, 1.5 * QUOTA)
        self.assertTrue(slow_throttles, "librdkafka saw no throttle_time_ms")

        fast_read, fast_read_throttles = consume_for(self.bootstrap, "fast-consumer", 3)
        self.assertGreater(fast_read, 5 * QUOTA)
        self.assertEqual(fast_read_throttles, [])
        slow_read, slow_read_throttles = consume_for(self.bootstrap, "slow-consumer", MEASURE_SECONDS)
        print("consumer: unthrottled %.0f B/s, quota %d B/s, throttled %.0f B/s (%d throttles)"
              % (fast_read, QUOTA, slow_read, len(slow_read_throttles)), flush=True)
        self.assertGreater(slow_read, 0.5 * QUOTA)
        self.assertLess(slow_read, 1.5 * QUOTA)
        self.assertTrue(slow_read_throttles, "librdkafka saw no throttle_time_ms on fetches")

        # /metrics: the partition leader counted the throttles (summed over the nodes: one leads).
        def total(name, kind):
            return metric_sum(self.cluster.nodes, name, type=kind)
        self.assertGreater(total("skiff_kafka_quota_throttled_total", "produce"), 0)
        self.assertGreater(total("skiff_kafka_quota_throttled_total", "fetch"), 0)
        self.assertGreater(total("skiff_kafka_quota_throttle_seconds_total", "produce"), 0)
        self.assertGreater(total("skiff_kafka_quota_throttle_seconds_total", "fetch"), 0)
        self.assertEqual(total("skiff_kafka_quota_throttled_total", "request"), 0)

        # Every node restarts: the quotas come back from the snapshot and the log, and still throttle.
        for n in self.cluster.nodes:
            self.assertEqual(n.stop(), 0, n.log()[-3000:])
        for n in self.cluster.nodes:
            n.start(wait=False)
        self.cluster.wait_all_ready(60)
        self.cluster.wait_leader(timeout=30)
        self.described_everywhere(quotas, timeout=30)
        _, after_restart = produce_for(self.bootstrap, "slow-producer", 4)
        self.assertTrue(after_restart, "no throttling after the restart")

        # Removing the quota lifts the throttling.
        self.assertEqual(alter_quotas(n3, [([("client-id", "slow-producer")], [("producer_byte_rate", None)])]),
                         [(NONE, None, [("client-id", "slow-producer")])])
        del quotas[(("client-id", "slow-producer"),)]
        self.described_everywhere(quotas)
        lifted, lifted_throttles = produce_for(self.bootstrap, "slow-producer", 4)
        self.assertGreater(lifted, 5 * QUOTA)
        self.assertEqual(lifted_throttles, [])


SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))


class UserQuotasTest(unittest.TestCase):
    """The user a quota names is the connection's SASL user; a connection without SASL is User:ANONYMOUS."""

    def setUp(self):
        self.node = SkiffNode(extra_args=["--sasl-enabled-mechanisms", "PLAIN"],
                              listeners=[("SASL", "SASL_PLAINTEXT")]).start()
        for user in ("alice", "bob"):
            r = subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % self.node.admin_port, "users", "set", user],
                               input=user + "-secret\n", capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        admin = AdminClient({"bootstrap.servers": self.node.bootstrap})
        admin.create_topics([NewTopic(TOPIC, 1, 1)])[TOPIC].result(30)

    def tearDown(self):
        self.node.close()

    def sasl(self, user):
        return "127.0.0.1:%d" % self.node.listener_ports["SASL"], {
            "security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": "PLAIN", "sasl.username": user,
            "sasl.password": user + "-secret"}

    def test_user_quotas_follow_the_sasl_user(self):
        self.assertEqual(alter_quotas(self.node, [([("user", "alice")], [("producer_byte_rate", QUOTA)])]),
                         [(NONE, None, [("user", "alice")])])
        # alice (any client id) is throttled; bob and an unauthenticated client are not.
        bootstrap, conf = self.sasl("alice")
        alice, alice_throttles = produce_for(bootstrap, "any-client", 4, conf=conf)
        self.assertTrue(alice_throttles, "alice's producer saw no throttle_time_ms")
        bootstrap, conf = self.sasl("bob")
        bob, bob_throttles = produce_for(bootstrap, "any-client", 2, conf=conf)
        self.assertEqual(bob_throttles, [])
        anonymous, anonymous_throttles = produce_for(self.node.bootstrap, "any-client", 2)
        self.assertEqual(anonymous_throttles, [])
        print("alice %.0f B/s (quota %d), bob %.0f B/s, ANONYMOUS %.0f B/s" % (alice, QUOTA, bob, anonymous), flush=True)
        self.assertGreater(bob, 2 * alice)
        self.assertGreater(anonymous, 2 * alice)
        # /users/ANONYMOUS names the clients without SASL.
        alter_quotas(self.node, [([("user", "ANONYMOUS")], [("producer_byte_rate", QUOTA)])])
        _, anonymous_throttles = produce_for(self.node.bootstrap, "any-client", 3)
        self.assertTrue(anonymous_throttles, "User:ANONYMOUS's quota did not throttle a client without SASL")

        # request_percentage: a tiny share of the thread for every other user (/users/<default>)
        # throttles bob's requests by muting his connection (counted in /metrics; the response
        # does not carry it).
        self.assertEqual(alter_quotas(self.node, [([("user", None)], [("request_percentage", 0.01)])]),
                         [(NONE, None, [("user", None)])])
        bootstrap, conf = self.sasl("bob")
        bob_limited, _ = produce_for(bootstrap, "any-client", 3, conf=conf)
        self.assertGreater(bob_limited, 0)
        self.assertGreater(metric(self.node, "skiff_kafka_quota_throttled_total", type="request"), 0)
        self.assertGreater(metric(self.node, "skiff_kafka_quota_throttle_seconds_total", type="request"), 0)


if __name__ == "__main__":
    unittest.main()
