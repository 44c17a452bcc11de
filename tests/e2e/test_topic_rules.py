"""One home for the topic creation rules: the same bad request sent through Kafka (kafka-python's
client sending CreateTopics and CreatePartitions, with and without validate_only) and through the
admin socket (skiffctl, and a hand-encoded CreateTopic for the values skiffctl does not send) is
refused for the same reason in the same words. Each edge has its own code for the reason (Kafka's
INVALID_REPLICATION_FACTOR is the admin socket's INVALID_REQUEST) but the message is the
planner's, so the two messages must be equal. A real skiffd; every process is stopped here."""
import json
import os
import re
import socket
import struct
import subprocess
import time
import unittest

from kafka.client_async import KafkaClient
from kafka.protocol.admin import CreatePartitionsRequest_v1, CreateTopicsRequest_v3

from harness import SkiffNode

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))

# Kafka error codes (the protocol's table).
UNKNOWN_TOPIC_OR_PARTITION = 3
INVALID_TOPIC_EXCEPTION = 17
TOPIC_ALREADY_EXISTS = 36
INVALID_PARTITIONS = 37
INVALID_REPLICATION_FACTOR = 38
POLICY_VIOLATION = 44
# admin.proto ErrorCode, as skiffctl names them.
ADMIN_INVALID_REQUEST = "INVALID_REQUEST"
ADMIN_ALREADY_EXISTS = "ALREADY_EXISTS"

LIMIT = 20   # max.partitions.per.broker of the node under test


def _varint(n):
    n &= (1 << 64) - 1   # protobuf writes a negative int32 as its 64-bit two's complement
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def _field(number, data):
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _int_field(number, value):
    return _varint(number << 3) + _varint(value)


class TopicRulesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = SkiffNode(extra_args=["--max-partitions-per-broker", str(LIMIT),
                                         "--auto-create-topics-enable", "false"]).start()
        cls.kafka = KafkaClient(bootstrap_servers=cls.node.bootstrap, client_id="e2e-topic-rules")
        deadline = time.monotonic() + 30
        while not cls.kafka.ready(1):
            if time.monotonic() > deadline:
                cls.tearDownClass()
                raise RuntimeError("kafka-python could not connect to broker 1:\n" + cls.node.log())
            cls.kafka.poll(timeout_ms=100)

    @classmethod
    def tearDownClass(cls):
        cls.kafka.close()
        cls.node.close()

    # ---- the Kafka edge -------------------------------------------------------------------------

    def kafka_call(self, request):
        future = self.kafka.send(1, request)
        self.kafka.poll(future=future, timeout_ms=60000)
        self.assertTrue(future.succeeded(), future.exception)
        (result,) = future.value.topic_errors
        return result[1], result[2] or ""

    def kafka_create(self, name, partitions, replication_factor):
        """(error code, message) of CreateTopics; the same request with validate_only must be
        answered identically (one planner for both), so it is asked first."""
        def request(validate_only):
            return CreateTopicsRequest_v3(create_topic_requests=[(name, partitions, replication_factor, [], [])],
                                          timeout=30000, validate_only=validate_only)
        validated = self.kafka_call(request(True))
        created = self.kafka_call(request(False))
        self.assertEqual(validated, created, "validate_only answers like the real request")
        return created

    def kafka_grow(self, name, count):
        def request(validate_only):
            return CreatePartitionsRequest_v1(topic_partitions=[(name, (count, None))], timeout=30000,
                                              validate_only=validate_only)
        validated = self.kafka_call(request(True))
        grown = self.kafka_call(request(False))
        self.assertEqual(validated, grown, "validate_only answers like the real request")
        return grown

    # ---- the admin edge -------------------------------------------------------------------------

    def skiffctl_create(self, name, *options):
        """(skiffctl's name of the admin error code, message) of skiffctl create-topic."""
        r = subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % self.node.admin_port, "create-topic", name]
                           + list(options), capture_output=True, text=True, timeout=60)
        if r.returncode == 0:
            return None, r.stdout.strip()
        self.assertEqual(r.returncode, 4, "4: the node refused the request\n" + r.stdout + r.stderr)
        m = re.fullmatch(r"skiffctl: 127\.0\.0\.1:\d+ refused: (.*) \(([A-Z_]+)\)\n", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        return m.group(2), m.group(1)

    def admin_create(self, name, partitions, replication_factor):
        """(error code number, message) of an admin.proto CreateTopic encoded by hand, for the values
        skiffctl takes as "the node's default" or refuses to send (0 and below)."""
        create = _field(1, name.encode()) + _int_field(2, partitions) + _int_field(3, replication_factor)
        body = _int_field(1, 1) + _int_field(2, 7) + _field(20, create)
        with socket.create_connection(("127.0.0.1", self.node.admin_port), timeout=30) as sock:
            sock.sendall(struct.pack(">i", len(body)) + body)
            frame = self._exactly(sock, struct.unpack(">i", self._exactly(sock, 4))[0])
        fields, pos = {}, 0
        while pos < len(frame):
            key, pos = self._read_varint(frame, pos)
            if key & 7 == 0:
                fields[key >> 3], pos = self._read_varint(frame, pos)
            else:
                length, pos = self._read_varint(frame, pos)
                fields[key >> 3] = frame[pos:pos + length]
                pos += length
        self.assertEqual(fields.get(2), 7, "the answer to request 7")
        return fields.get(3, 0), fields.get(4, b"").decode()

    @staticmethod
    def _exactly(sock, n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise AssertionError("the node closed the admin connection")
            data += chunk
        return data

    @staticmethod
    def _read_varint(data, pos):
        value, shift = 0, 0
        while True:
            b = data[pos]
            pos += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return value, pos

    def assertSameRefusal(self, kafka, kafka_code, admin, admin_code, message):
        """Kafka's (code, message) and the admin edge's (code, message) are the one refusal."""
        self.assertEqual(kafka, (kafka_code, message))
        self.assertEqual(admin, (admin_code, message))

    # ---- the rules ------------------------------------------------------------------------------

    def test_same_request_same_reason_on_both_edges(self):
        # Invalid names (skiffctl sends the empty name as given).
        for name, message in [("", "topic name is empty"),
                              (".", "topic name cannot be '.'"),
                              ("..", "topic name cannot be '..'"),
                              ("a" * 250, "topic name is 250 characters long; the limit is 249"),
                              ("bad name!", "topic name 'bad name!' contains a character other than ASCII letters, "
                                            "digits, '.', '_' and '-'")]:
            with self.subTest(name=name[:20]):
                self.assertSameRefusal(self.kafka_create(name, 1, 1), INVALID_TOPIC_EXCEPTION,
                                       self.skiffctl_create(name), ADMIN_INVALID_REQUEST, message)

        # A replication factor above the broker count (one broker here), up to Kafka's int16 maximum.
        for rf in (2, 32767):
            with self.subTest(replication_factor=rf):
                self.assertSameRefusal(
                    self.kafka_create("replicated", 1, rf), INVALID_REPLICATION_FACTOR,
                    self.skiffctl_create("replicated", "--replication-factor", str(rf)), ADMIN_INVALID_REQUEST,
                    "replication factor %d is larger than the 1 available (unfenced) brokers" % rf)
        # Beyond int16 only the admin socket can ask: once "must be at least 1", now the same rule.
        for rf in (32768, 40000):
            self.assertEqual(self.skiffctl_create("replicated", "--replication-factor", str(rf)),
                             (ADMIN_INVALID_REQUEST, "replication factor must be at most 32767, got %d" % rf))
        # 0 is each edge's own "node default" (Kafka's is -1): below it, the one rule again.
        self.assertSameRefusal(self.kafka_create("replicated", 1, -2), INVALID_REPLICATION_FACTOR,
                               self.admin_create("replicated", 1, -2), 1,
                               "replication factor must be at least 1, got -2")
        self.assertEqual(self.kafka_create("replicated", 1, 0),
                         (INVALID_REPLICATION_FACTOR, "replication factor must be at least 1, got 0"))

        # Partition counts below 1 and above the per-topic maximum.
        self.assertEqual(self.kafka_create("counted", 0, 1),
                         (INVALID_PARTITIONS, "number of partitions must be at least 1, got 0"))
        self.assertSameRefusal(self.kafka_create("counted", -2, 1), INVALID_PARTITIONS,
                               self.admin_create("counted", -2, 1), 1,
                               "number of partitions must be at least 1, got -2")
        too_many = "number of partitions must be at most 100000, got 100001"
        self.assertSameRefusal(self.kafka_create("counted", 100001, 1), INVALID_PARTITIONS,
                               self.skiffctl_create("counted", "--partitions", "100001"), ADMIN_INVALID_REQUEST,
                               too_many)

        # A topic both edges then refuse to create again.
        self.assertEqual(self.kafka_create("grown", 1, 1), (0, ""))
        self.assertSameRefusal(self.kafka_create("grown", 1, 1), TOPIC_ALREADY_EXISTS,
                               self.skiffctl_create("grown"), ADMIN_ALREADY_EXISTS, "topic 'grown' already exists")

        # max.partitions.per.broker: the node hosts 1 partition; 25 more do not fit under 20.
        self.assertSameRefusal(
            self.kafka_create("wide", 25, 1), POLICY_VIOLATION,
            self.skiffctl_create("wide", "--partitions", "25"), ADMIN_INVALID_REQUEST,
            "topic 'wide': broker 1 would host 26 partitions, more than max.partitions.per.broker = 20 "
            "(it hosts 1, this adds 25); delete topics, spread them over more brokers or raise the limit")

        # CreatePartitions has the per-topic maximum too (it had none), in CreateTopics' words.
        self.assertEqual(self.kafka_grow("grown", 100001), (INVALID_PARTITIONS, too_many))
        self.assertEqual(self.kafka_grow("grown", 25),
                         (POLICY_VIOLATION, "topic 'grown': broker 1 would host 25 partitions, more than "
                                            "max.partitions.per.broker = 20 (it hosts 1, this adds 24); delete topics, "
                                            "spread them over more brokers or raise the limit"))
        for count in (0, 1):
            self.assertEqual(self.kafka_grow("grown", count),
                             (INVALID_PARTITIONS, "topic 'grown' has 1 partitions; the new count must be larger, got %d"
                              % count))
        self.assertEqual(self.kafka_grow("missing", 2), (UNKNOWN_TOPIC_OR_PARTITION, "topic 'missing' does not exist"))

        # Nothing refused was created; a request within every rule still is.
        self.assertEqual(self.kafka_grow("grown", 3), (0, ""))
        self.assertEqual(self.skiffctl_create("by-admin", "--partitions", "2")[0], None)
        r = subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % self.node.admin_port, "--json", "topics"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        topics = {t["name"]: t["partitions"] for t in json.loads(r.stdout)["topics"]}
        self.assertEqual(topics, {"grown": 3, "by-admin": 2})


if __name__ == "__main__":
    unittest.main()
