"""Topic config changes through Kafka's AlterConfigs and IncrementalAlterConfigs against a real
3-node cluster: python3-confluent-kafka's AdminClient.alter_configs and kafka-python's
KafkaAdminClient.alter_configs (Debian's packages; they send AlterConfigs v0-1). Debian's
confluent-kafka (1.7.0, librdkafka 2.0.2) predates incremental_alter_configs and kafka-python 2.0.2
has no IncrementalAlterConfigs nor flexible versions, so IncrementalAlterConfigs v0 goes through
kafka-python's protocol layer with the schema of the Kafka spec declared here, and the flexible
versions (AlterConfigs v2, IncrementalAlterConfigs v1) are encoded here by hand from the spec.
Every change is read back through DescribeConfigs on another node than the one that took it."""
import socket
import struct
import time
import unittest

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewTopic
from kafka.admin import ConfigResource as KpConfigResource, ConfigResourceType, KafkaAdminClient
from kafka.protocol.api import Request, Response
from kafka.protocol.parser import KafkaProtocol
from kafka.protocol.types import Array, Boolean, Int8, Int16, Int32, Schema, String

from harness import SkiffCluster

UNKNOWN_TOPIC_OR_PARTITION = 3
INVALID_CONFIG = 40
INVALID_REQUEST = 42
TOPIC, BROKER, GROUP = 2, 4, 3
SET, DELETE, APPEND, SUBTRACT = 0, 1, 2, 3
DYNAMIC_TOPIC_CONFIG, DEFAULT_CONFIG = 1, 5
RETENTION_DEFAULT = "604800000"


# kafka-python 2.0.2 declares DescribeConfigs v1's config_source as the v0 boolean is_default, which
# reads source 1 and 5 alike: the spec's layout.
class DescribeConfigsResponse_v1(Response):
    API_KEY = 32
    API_VERSION = 1
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("resources", Array(("error_code", Int16), ("error_message", String("utf-8")),
                            ("resource_type", Int8), ("resource_name", String("utf-8")),
                            ("configs", Array(("name", String("utf-8")), ("value", String("utf-8")),
                                              ("read_only", Boolean), ("config_source", Int8),
                                              ("is_sensitive", Boolean),
                                              ("synonyms", Array(("name", String("utf-8")), ("value", String("utf-8")),
                                                                 ("source", Int8))))))))


class DescribeConfigsRequest_v1(Request):
    API_KEY = 32
    API_VERSION = 1
    RESPONSE_TYPE = DescribeConfigsResponse_v1
    SCHEMA = Schema(
        ("resources", Array(("resource_type", Int8), ("resource_name", String("utf-8")),
                            ("configuration_keys", Array(String("utf-8"))))),
        ("include_synonyms", Boolean))


class IncrementalAlterConfigsResponse_v0(Response):
    API_KEY = 44
    API_VERSION = 0
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("responses", Array(("error_code", Int16), ("error_message", String("utf-8")),
                            ("resource_type", Int8), ("resource_name", String("utf-8")))))


class IncrementalAlterConfigsRequest_v0(Request):
    API_KEY = 44
    API_VERSION = 0
    RESPONSE_TYPE = IncrementalAlterConfigsResponse_v0
    SCHEMA = Schema(
        ("resources", Array(("resource_type", Int8), ("resource_name", String("utf-8")),
                            ("configs", Array(("name", String("utf-8")), ("config_operation", Int8),
                                              ("value", String("utf-8")))))),
        ("validate_only", Boolean))


def _recv_frame(sock):
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("connection closed by the broker")
            data += chunk
        return data
    (size,) = struct.unpack(">i", exactly(4))
    return exactly(size)


def kafka_python_call(port, request):
    """One request through kafka-python's protocol layer on a connection to this node only."""
    protocol = KafkaProtocol(client_id="e2e-alter-configs")
    protocol.send_request(request)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(protocol.send_bytes())
        frame = _recv_frame(sock)
    ((_, response),) = protocol.receive_bytes(struct.pack(">i", len(frame)) + frame)
    return response


# ---- flexible versions, encoded from the spec ----------------------------------------------------

def _uvarint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def _compact_string(s):
    if s is None:
        return b"\x00"
    data = s.encode()
    return _uvarint(len(data) + 1) + data


def _compact_array(items):
    return _uvarint(len(items) + 1) + b"".join(items)


def flexible_call(port, api_key, version, body):
    """Request header v2 + body; returns the (error, message, type, name) of each resource."""
    header = struct.pack(">hhi", api_key, version, 7) + struct.pack(">h", 1) + b"e" + b"\x00"
    frame = header + body
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(struct.pack(">i", len(frame)) + frame)
        data = _recv_frame(sock)
    pos = 4 + 1 + 4   # correlation id, header tags (none), throttle time

    def uvarint():
        nonlocal pos
        shift = value = 0
        while True:
            b = data[pos]
            pos += 1
            value |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                return value

    def string():
        nonlocal pos
        n = uvarint() - 1
        if n < 0:
            return None
        s = data[pos:pos + n].decode()
        pos += n
        return s

    assert struct.unpack(">i", data[:4])[0] == 7 and data[4] == 0
    results = []
    for _ in range(uvarint() - 1):
        (error,) = struct.unpack(">h", data[pos:pos + 2])
        pos += 2
        message = string()
        rtype = data[pos]
        pos += 1
        name = string()
        assert uvarint() == 0   # no tagged fields
        results.append((error, message, rtype, name))
    assert uvarint() == 0 and pos == len(data), "trailing bytes in the response"
    return results


def incremental_v1_body(resources, validate_only=False):
    items = []
    for rtype, name, configs in resources:
        entries = [_compact_string(n) + bytes([op]) + _compact_string(v) + b"\x00" for n, op, v in configs]
        items.append(bytes([rtype]) + _compact_string(name) + _compact_array(entries) + b"\x00")
    return _compact_array(items) + bytes([1 if validate_only else 0]) + b"\x00"


def alter_v2_body(resources, validate_only=False):
    items = []
    for rtype, name, configs in resources:
        entries = [_compact_string(n) + _compact_string(v) + b"\x00" for n, v in configs]
        items.append(bytes([rtype]) + _compact_string(name) + _compact_array(entries) + b"\x00")
    return _compact_array(items) + bytes([1 if validate_only else 0]) + b"\x00"


class AlterConfigsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = SkiffCluster(3, extra_args=["--log-retention-check-interval-ms", "100"]).start()
        cls.admin = {n.node_id: AdminClient({"bootstrap.servers": n.bootstrap}) for n in cls.cluster.nodes}
        cls.topics = ["configs-a", "configs-b", "configs-retention"]
        new = [NewTopic("configs-a", 1, 1), NewTopic("configs-b", 1, 1),
               NewTopic("configs-retention", 1, 1, config={"segment.bytes": "100"})]
        for name, future in cls.admin[1].create_topics(new, operation_timeout=10).items():
            future.result(30)

    @classmethod
    def tearDownClass(cls):
        cls.admin = None   # the clients go before the nodes they are connected to
        cls.cluster.close()

    def describe(self, node_id, topic):
        """{name: (value, source)} as node_id answers DescribeConfigs v1 for the topic."""
        response = kafka_python_call(self.cluster.node(node_id).kafka_port,
                                     DescribeConfigsRequest_v1(resources=[(TOPIC, topic, None)], include_synonyms=False))
        ((error, message, _, _, entries),) = response.resources
        self.assertEqual(error, 0, message)
        return {e[0]: (e[1], e[3]) for e in entries}

    def wait_config(self, node_id, topic, name, expected, timeout=10):
        """Waits until node_id reports `expected` (value, source) for the config: the change was
        acknowledged by another node once applied there; this node applies it when it gets there."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.describe(node_id, topic)[name]
            if seen == expected or time.monotonic() > deadline:
                self.assertEqual(seen, expected, "%s of %s on node %d" % (name, topic, node_id))
                return
            time.sleep(0.05)

    def confluent_alter(self, node_id, resource, **kwargs):
        """None on success, else (error code, message)."""
        try:
            self.admin[node_id].alter_configs([resource], request_timeout=30, **kwargs)[resource].result(30)
            return None
        except KafkaException as e:
            return e.args[0].code(), e.args[0].str()

    def incremental(self, node_id, resources, validate_only=False):
        response = kafka_python_call(self.cluster.node(node_id).kafka_port,
                                     IncrementalAlterConfigsRequest_v0(resources=resources, validate_only=validate_only))
        return [(r[0], r[1]) for r in response.responses]

    # ---- AlterConfigs ---------------------------------------------------------------------------

    def test_confluent_alter_configs_sets_and_replaces_the_whole_set(self):
        self.assertIsNone(self.confluent_alter(1, ConfigResource(
            "topic", "configs-a", set_config={"retention.ms": "3600000", "segment.ms": "7200000"})))
        self.wait_config(2, "configs-a", "retention.ms", ("3600000", DYNAMIC_TOPIC_CONFIG))
        self.wait_config(3, "configs-a", "segment.ms", ("7200000", DYNAMIC_TOPIC_CONFIG))
        # Kafka's AlterConfigs: a config not named goes back to its default.
        self.assertIsNone(self.confluent_alter(2, ConfigResource("topic", "configs-a", set_config={"segment.ms": "7300000"})))
        self.wait_config(3, "configs-a", "segment.ms", ("7300000", DYNAMIC_TOPIC_CONFIG))
        self.assertEqual(self.describe(3, "configs-a")["retention.ms"], (RETENTION_DEFAULT, DEFAULT_CONFIG))
        self.assertEqual(self.describe(2, "configs-a")["retention.ms"], (RETENTION_DEFAULT, DEFAULT_CONFIG))

    def test_kafka_python_alter_configs(self):
        admin = KafkaAdminClient(bootstrap_servers=self.cluster.node(3).bootstrap, client_id="e2e-alter-configs")
        try:
            response = admin.alter_configs([KpConfigResource(ConfigResourceType.TOPIC, "configs-b",
                                                             configs={"retention.ms": "123456"})])
        finally:
            admin.close()
        self.assertEqual([(r[0], r[3]) for r in response.resources], [(0, "configs-b")])
        self.wait_config(1, "configs-b", "retention.ms", ("123456", DYNAMIC_TOPIC_CONFIG))
        self.assertEqual(self.incremental(1, [(TOPIC, "configs-b", [("retention.ms", DELETE, None)])]), [(0, None)])
        self.wait_config(2, "configs-b", "retention.ms", (RETENTION_DEFAULT, DEFAULT_CONFIG))

    def test_invalid_names_and_values_are_refused_with_invalid_config(self):
        code, message = self.confluent_alter(2, ConfigResource("topic", "configs-b", set_config={"no.such.config": "1"}))
        self.assertEqual(code, KafkaError.INVALID_CONFIG)
        self.assertIn("unknown topic config 'no.such.config'", message)
        code, message = self.confluent_alter(2, ConfigResource("topic", "configs-b", set_config={"retention.ms": "1h"}))
        self.assertEqual(code, KafkaError.INVALID_CONFIG)
        self.assertIn("retention.ms: '1h' is not an integer", message)
        ((code, message),) = self.incremental(3, [(TOPIC, "configs-b", [("cleanup.policy", SET, "compact")])])
        self.assertEqual(code, INVALID_CONFIG)
        self.assertIn("cleanup.policy=compact is not supported yet", message)

    def test_validate_only_changes_nothing(self):
        self.assertIsNone(self.confluent_alter(
            1, ConfigResource("topic", "configs-b", set_config={"retention.bytes": "1234"}), validate_only=True))
        self.assertEqual(self.incremental(1, [(TOPIC, "configs-b", [("retention.bytes", SET, "1234")])], validate_only=True),
                         [(0, None)])
        ((error, _, _, _),) = flexible_call(self.cluster.node(1).kafka_port, 44, 1, incremental_v1_body(
            [(TOPIC, "configs-b", [("retention.bytes", SET, "1234")])], validate_only=True))
        self.assertEqual(error, 0)
        # Still judged: a bad value is refused even when only validating.
        code, _ = self.confluent_alter(1, ConfigResource("topic", "configs-b", set_config={"retention.bytes": "x"}),
                                       validate_only=True)
        self.assertEqual(code, KafkaError.INVALID_CONFIG)
        # A real change through the same node afterwards: once node 3 sees it, it has seen anything
        # proposed before it, so retention.bytes still at its default means nothing was proposed.
        self.assertEqual(self.incremental(1, [(TOPIC, "configs-b", [("segment.ms", SET, "8000000")])]), [(0, None)])
        self.wait_config(3, "configs-b", "segment.ms", ("8000000", DYNAMIC_TOPIC_CONFIG))
        self.assertEqual(self.describe(3, "configs-b")["retention.bytes"], ("-1", DEFAULT_CONFIG))
        self.assertEqual(self.incremental(1, [(TOPIC, "configs-b", [("segment.ms", DELETE, None)])]), [(0, None)])

    def test_unknown_topic_is_refused(self):
        code, message = self.confluent_alter(3, ConfigResource("topic", "no-such-topic", set_config={"retention.ms": "1"}))
        self.assertEqual(code, KafkaError.UNKNOWN_TOPIC_OR_PART)
        self.assertIn("topic 'no-such-topic' does not exist", message)
        self.assertEqual(self.incremental(2, [(TOPIC, "no-such-topic", [("retention.ms", DELETE, None)])]),
                         [(UNKNOWN_TOPIC_OR_PARTITION, "topic 'no-such-topic' does not exist")])

    def test_broker_resources_are_refused_as_static(self):
        code, message = self.confluent_alter(2, ConfigResource("broker", "2", set_config={"log.retention.ms": "1"}))
        self.assertEqual(code, KafkaError.INVALID_REQUEST)
        self.assertIn("Cannot update these configs dynamically: [log.retention.ms]", message)
        self.assertIn("broker configs are static", message)
        ((code, message),) = self.incremental(1, [(BROKER, "1", [("log.retention.ms", DELETE, None)])])
        self.assertEqual(code, INVALID_REQUEST)
        self.assertIn("broker configs are static", message)
        # Neither a topic nor a broker (a group): INVALID_REQUEST.
        ((code, message),) = self.incremental(1, [(GROUP, "g", [("x", SET, "1")])])
        self.assertEqual(code, INVALID_REQUEST)
        self.assertIn("resource type is 3", message)

    # ---- IncrementalAlterConfigs ------------------------------------------------------------------

    def test_incremental_set_delete_append_subtract(self):
        port = self.cluster.node(2).kafka_port
        self.assertEqual(self.incremental(2, [(TOPIC, "configs-a", [("retention.ms", SET, "5000"),
                                                                    ("segment.ms", SET, "9000000")])]), [(0, None)])
        self.wait_config(1, "configs-a", "retention.ms", ("5000", DYNAMIC_TOPIC_CONFIG))
        # DELETE resets to the default and leaves the others alone.
        self.assertEqual(self.incremental(2, [(TOPIC, "configs-a", [("retention.ms", DELETE, None)])]), [(0, None)])
        self.wait_config(3, "configs-a", "retention.ms", (RETENTION_DEFAULT, DEFAULT_CONFIG))
        self.assertEqual(self.describe(3, "configs-a")["segment.ms"], ("9000000", DYNAMIC_TOPIC_CONFIG))
        # APPEND/SUBTRACT: list configs only (cleanup.policy); the others are refused, as Kafka does.
        ((code, message),) = self.incremental(2, [(TOPIC, "configs-a", [("retention.ms", APPEND, "1")])])
        self.assertEqual((code, message), (INVALID_CONFIG, "Can't APPEND to key retention.ms because its type is not LIST."))
        ((code, message),) = self.incremental(2, [(TOPIC, "configs-a", [("segment.ms", SUBTRACT, "1")])])
        self.assertEqual((code, message), (INVALID_CONFIG, "Can't SUBTRACT to key segment.ms because its type is not LIST."))
        self.assertEqual(self.incremental(2, [(TOPIC, "configs-a", [("cleanup.policy", APPEND, "delete")])]), [(0, None)])
        self.wait_config(1, "configs-a", "cleanup.policy", ("delete", DYNAMIC_TOPIC_CONFIG))
        ((code, message),) = self.incremental(2, [(TOPIC, "configs-a", [("cleanup.policy", APPEND, "compact")])])
        self.assertEqual(code, INVALID_CONFIG)
        self.assertIn("cleanup.policy=delete,compact is not supported yet", message)
        ((code, _),) = self.incremental(2, [(TOPIC, "configs-a", [("cleanup.policy", SUBTRACT, "delete")])])
        self.assertEqual(code, INVALID_CONFIG)   # an empty policy is not one Skiff has
        # Requests Kafka refuses as malformed: a config twice, a missing value, an unknown operation.
        ((code, message),) = self.incremental(2, [(TOPIC, "configs-a", [("retention.ms", SET, "1"), ("retention.ms", DELETE, None)])])
        self.assertEqual((code, message), (INVALID_REQUEST, "Error due to duplicate config keys"))
        ((code, message),) = self.incremental(2, [(TOPIC, "configs-a", [("retention.ms", SET, None)])])
        self.assertEqual((code, message), (INVALID_REQUEST, "Null value not supported for : retention.ms"))
        ((code, _),) = self.incremental(2, [(TOPIC, "configs-a", [("retention.ms", 9, "1")])])
        self.assertEqual(code, INVALID_REQUEST)
        # The flexible version (v1), and AlterConfigs v2.
        self.assertEqual(flexible_call(port, 44, 1, incremental_v1_body([(TOPIC, "configs-a", [("segment.ms", DELETE, None)]),
                                                                          (TOPIC, "no-such-topic", [])])),
                         [(0, None, TOPIC, "configs-a"),
                          (UNKNOWN_TOPIC_OR_PARTITION, "topic 'no-such-topic' does not exist", TOPIC, "no-such-topic")])
        self.wait_config(1, "configs-a", "segment.ms", ("604800000", DEFAULT_CONFIG))
        self.assertEqual(flexible_call(port, 33, 2, alter_v2_body([(TOPIC, "configs-a", [("retention.ms", "6000")])])),
                         [(0, None, TOPIC, "configs-a")])
        self.wait_config(3, "configs-a", "retention.ms", ("6000", DYNAMIC_TOPIC_CONFIG))
        self.assertEqual(self.describe(3, "configs-a")["cleanup.policy"], ("delete", DEFAULT_CONFIG))   # replaced

    def test_a_retention_change_reaches_the_partition_log(self):
        topic = "configs-retention"
        producer = Producer({"bootstrap.servers": self.cluster.node(1).bootstrap, "linger.ms": 0})
        for i in range(5):   # one batch each; segment.bytes=100 rolls a segment after each
            producer.produce(topic, value=b"record-%d" % i)
            self.assertEqual(producer.flush(30), 0)
        consumer = Consumer({"bootstrap.servers": self.cluster.node(2).bootstrap, "group.id": "e2e-alter-configs"})
        try:
            self.assertEqual(consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10), (0, 5))
            self.assertEqual(self.incremental(3, [(TOPIC, topic, [("retention.ms", SET, "1")])]), [(0, None)])
            # Retention (checked every 100 ms here) now deletes every closed segment.
            deadline = time.monotonic() + 20
            while consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)[0] == 0:
                self.assertLess(time.monotonic(), deadline, "retention.ms=1 deleted nothing")
                time.sleep(0.05)
            low, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
            self.assertGreater(low, 0)
            self.assertEqual(high, 5)
        finally:
            consumer.close()


if __name__ == "__main__":
    unittest.main()
