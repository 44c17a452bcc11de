"""python3-confluent-kafka (librdkafka) against a real skiffd."""
import struct
import time
import unittest

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

import kafka_wire
from clients import consume_all
from harness import SkiffNode


class ConfluentTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = SkiffNode().start()

    @classmethod
    def tearDownClass(cls):
        cls.node.close()

    def admin(self):
        return AdminClient({"bootstrap.servers": self.node.bootstrap})

    def create(self, name, partitions, config=None):
        admin = self.admin()   # must outlive the future, or the handle is torn down under it
        futures = admin.create_topics([NewTopic(name, partitions, 1, config=config or {})], operation_timeout=10)
        futures[name].result(30)

    def test_100k_keyed_messages_with_headers_round_trip_in_order(self):
        topic, partitions, total = "roundtrip", 4, 100_000
        self.create(topic, partitions)
        p = Producer({"bootstrap.servers": self.node.bootstrap, "linger.ms": 5, "acks": "all"})
        errors = []
        sent = {}
        for i in range(total):
            key = b"key-%d" % (i % 97)
            value = b"value-%d-" % i + bytes([i % 251]) * (i % 50)
            headers = [("h-index", b"%d" % i), ("h-bin", bytes([0, 255, i % 256]))]
            p.produce(topic, value=value, key=key, headers=headers,
                      on_delivery=lambda err, msg: errors.append(err) if err else None)
            sent.setdefault(None, []).append((key, value, headers))
            if i % 10000 == 0:
                p.poll(0)
        self.assertEqual(p.flush(60), 0)
        self.assertEqual(errors, [])

        got = consume_all(self.node.bootstrap, topic, range(partitions), total)
        self.assertEqual(len(got), total)
        by_partition = {}
        for m in got:
            by_partition.setdefault(m.partition(), []).append(m)
        seen = 0
        expected_by_key = {}
        for key, value, headers in sent[None]:
            expected_by_key.setdefault(key, []).append((value, headers))
        for part, msgs in by_partition.items():
            offsets = [m.offset() for m in msgs]
            self.assertEqual(offsets, list(range(len(msgs))), "partition %d offsets not contiguous" % part)
            per_key_index = {}
            for m in msgs:
                i = per_key_index.get(m.key(), 0)
                value, headers = expected_by_key[m.key()][i]
                per_key_index[m.key()] = i + 1
                self.assertEqual(m.value(), value)
                self.assertEqual(m.headers(), headers)
                seen += 1
        self.assertEqual(seen, total)

    def test_every_compression_codec(self):
        for codec in ["gzip", "snappy", "lz4", "zstd"]:
            topic = "compressed-" + codec
            self.create(topic, 1)
            p = Producer({"bootstrap.servers": self.node.bootstrap, "compression.type": codec, "linger.ms": 20})
            values = [(b"%s-%d " % (codec.encode(), i)) * 20 for i in range(2000)]
            for v in values:
                p.produce(topic, v)
            self.assertEqual(p.flush(30), 0)
            got = consume_all(self.node.bootstrap, topic, [0], len(values))
            self.assertEqual([m.value() for m in got], values, codec)

    def test_idempotent_producer_acks_all(self):
        topic = "idempotent"
        self.create(topic, 2)
        delivered = []
        p = Producer({"bootstrap.servers": self.node.bootstrap, "enable.idempotence": True, "acks": "all",
                      "max.in.flight.requests.per.connection": 5, "linger.ms": 1})
        for i in range(20000):
            p.produce(topic, b"m%d" % i, key=b"%d" % (i % 10),
                      on_delivery=lambda err, msg: delivered.append((err, msg.offset() if not err else None)))
        self.assertEqual(p.flush(60), 0)
        self.assertEqual([e for e, _ in delivered if e], [])
        self.assertEqual(len(delivered), 20000)
        got = consume_all(self.node.bootstrap, topic, [0, 1], 20000)
        self.assertEqual(sorted(m.value() for m in got), sorted(b"m%d" % i for i in range(20000)))

    def test_admin_create_delete_partitions_describe(self):
        a = self.admin()
        self.create("admin-topic", 2, {"retention.ms": "3600000"})
        md = a.list_topics(timeout=10)
        self.assertEqual(len(md.topics["admin-topic"].partitions), 2)
        self.assertIn(1, md.brokers)

        a.create_partitions([NewPartitions("admin-topic", 5)])["admin-topic"].result(30)
        self.assertEqual(len(a.list_topics(timeout=10).topics["admin-topic"].partitions), 5)

        res = ConfigResource(ConfigResource.Type.TOPIC, "admin-topic")
        configs = a.describe_configs([res])[res].result(30)
        self.assertEqual(configs["retention.ms"].value, "3600000")
        self.assertFalse(configs["retention.ms"].is_default)
        self.assertEqual(configs["cleanup.policy"].value, "delete")
        self.assertTrue(configs["cleanup.policy"].is_default)

        with self.assertRaises(KafkaException):
            a.create_topics([NewTopic("admin-topic", 1, 1)])["admin-topic"].result(30)
        with self.assertRaises(KafkaException):
            a.create_topics([NewTopic("compacted", 1, 1, config={"cleanup.policy": "compact"})])["compacted"].result(30)

        a.delete_topics(["admin-topic"], operation_timeout=10)["admin-topic"].result(30)
        self.assertNotIn("admin-topic", a.list_topics(timeout=10).topics)

    def test_list_offsets_by_timestamp(self):
        topic = "by-time"
        self.create(topic, 1)
        p = Producer({"bootstrap.servers": self.node.bootstrap, "linger.ms": 0})
        base = int(time.time() * 1000) - 100_000
        for i in range(100):
            p.produce(topic, b"x%d" % i, timestamp=base + i * 1000)
            p.flush(10)   # one batch per message: the time index sees every timestamp
        c = Consumer({"bootstrap.servers": self.node.bootstrap, "group.id": "ts"})
        try:
            found = c.offsets_for_times([TopicPartition(topic, 0, base + 42_500)], timeout=10)
            self.assertEqual(found[0].offset, 43)
            past_end = c.offsets_for_times([TopicPartition(topic, 0, base + 1_000_000)], timeout=10)
            self.assertEqual(past_end[0].offset, -1)
            low, high = c.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
            self.assertEqual((low, high), (0, 100))
        finally:
            c.close()
        # The leader epoch of each answer, which librdkafka 2.0 does not show: the epoch the offset
        # found was written in, -1 when none was found (as Kafka answers), the current one for latest.
        answers = self.list_offsets_v4(topic, [base + 42_500, base + 1_000_000, -1, -2])
        self.assertEqual(answers[0], (0, base + 43_000, 43, 0))
        self.assertEqual(answers[1], (0, -1, -1, -1))
        self.assertEqual(answers[2], (0, -1, 100, 0))
        self.assertEqual(answers[3], (0, -1, 0, 0))

    def list_offsets_v4(self, topic, timestamps):
        """[(error, timestamp, offset, leader epoch)] of ListOffsets v4 for partition 0, one request
        per timestamp (a request may name a partition only once)."""
        out = []
        for ts in timestamps:
            body = struct.pack(">ib", -1, 0) + kafka_wire.array([topic], lambda t: kafka_wire.string(t) + kafka_wire.array(
                [0], lambda p: struct.pack(">iiq", p, -1, ts)))
            r = kafka_wire.call(self.node, 2, 4, False, body)
            r.take(">i")   # throttle time
            topics = r.array(lambda: (r.string(), r.array(
                lambda: (r.take(">i"), r.take(">h"), r.take(">q"), r.take(">q"), r.take(">i")))))
            r.done()
            out.append(topics[0][1][0][1:])
        return out

    def test_log_append_time_topic_stamps_batches(self):
        self.create("append-time", 1, {"message.timestamp.type": "LogAppendTime"})
        before = int(time.time() * 1000)
        p = Producer({"bootstrap.servers": self.node.bootstrap})
        p.produce("append-time", b"x", timestamp=1000)   # a create time far in the past
        self.assertEqual(p.flush(30), 0)
        (m,) = consume_all(self.node.bootstrap, "append-time", [0], 1)
        kind, ts = m.timestamp()
        self.assertEqual(kind, 2)   # TIMESTAMP_LOG_APPEND_TIME
        self.assertGreaterEqual(ts, before - 1000)

    def test_topic_max_message_bytes_is_enforced(self):
        self.create("small-batches", 1, {"max.message.bytes": "2000"})
        results = []
        p = Producer({"bootstrap.servers": self.node.bootstrap, "linger.ms": 0, "compression.type": "none",
                      "message.max.bytes": 100000})
        p.produce("small-batches", b"y" * 5000, on_delivery=lambda err, msg: results.append(err))
        p.flush(30)   # separate batches: the limit applies to a whole batch
        p.produce("small-batches", b"z" * 100, on_delivery=lambda err, msg: results.append(err))
        p.flush(30)
        self.assertEqual(len(results), 2)
        self.assertIsNotNone(results[0])
        self.assertEqual(results[0].code(), KafkaError.MSG_SIZE_TOO_LARGE)
        self.assertIsNone(results[1])

    def test_auto_create_on_produce(self):
        p = Producer({"bootstrap.servers": self.node.bootstrap})
        p.produce("auto-created", b"hello")
        self.assertEqual(p.flush(30), 0)
        self.assertIn("auto-created", self.admin().list_topics(timeout=10).topics)

    def test_a_transactional_producer_is_refused_at_once(self):
        # Skiff has no transactions. FindCoordinator for the transactional id answers
        # TRANSACTIONAL_ID_AUTHORIZATION_FAILED, which librdkafka (and the Java client) treat as
        # fatal: init_transactions fails with that error rather than retrying until its timeout.
        p = Producer({"bootstrap.servers": self.node.bootstrap, "transactional.id": "tx-refused"})
        with self.assertRaises(KafkaException) as raised:
            p.init_transactions(50)
        error = raised.exception.args[0]
        self.assertEqual(error.code(), KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, error)
        self.assertTrue(error.fatal(), error)

    def test_a_fetch_naming_no_partition_is_answered_at_once(self):
        # The Java consumer sends one as it closes; parked for its max wait (60 s here) it would
        # outlast the request's 10 s socket timeout. Kafka answers such a request at once.
        from kafka.protocol.fetch import FetchRequest
        from test_partition_storage import kafka_request
        request = FetchRequest[11](replica_id=-1, max_wait_time=60000, min_bytes=1, max_bytes=1 << 20,
                                   isolation_level=0, session_id=0, session_epoch=-1, topics=[],
                                   forgotten_topics_data=[], rack_id="")
        response = kafka_request(self.node, request)
        self.assertEqual(response.error_code, 0)
        self.assertEqual(list(response.topics), [])


if __name__ == "__main__":
    unittest.main()
