"""Malformed frames close or fail one connection and never hurt the node or other clients."""
import os
import random
import socket
import struct
import time
import unittest

from harness import SkiffNode, api_versions_ok


def send(port, data, read=True):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(data)
        if not read:
            return b""
        chunks = []
        try:
            while True:
                c = s.recv(65536)
                if not c:
                    break
                chunks.append(c)
                if sum(len(x) for x in chunks) >= 4:
                    size = struct.unpack(">i", b"".join(chunks)[:4])[0]
                    if sum(len(x) for x in chunks) >= 4 + size:
                        break
        except socket.timeout:
            return None   # the node kept the connection open and said nothing
        return b"".join(chunks)


def request(api_key, version, body=b"", correlation=7, client=b"bad-input"):
    header = struct.pack(">hhih", api_key, version, correlation, len(client)) + client
    frame = header + body
    return struct.pack(">i", len(frame)) + frame


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _crc32c_table()


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC32C[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def varint(n):
    """Kafka's zigzag varint."""
    n = (n << 1) ^ (n >> 63)
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def record_batch(value, attributes=0):
    """One uncompressed record in a v2 batch whose attributes say `attributes`, with a valid CRC."""
    body = b"\x00" + varint(0) + varint(0) + varint(-1) + varint(len(value)) + value + varint(0)
    record = varint(len(body)) + body
    now = int(time.time() * 1000)
    after_crc = struct.pack(">hiqqqhii", attributes, 0, now, now, -1, -1, -1, 1) + record
    after_length = struct.pack(">ibI", -1, 2, crc32c(after_crc)) + after_crc
    return struct.pack(">qi", 0, len(after_length)) + after_length


def produce_v3(topic, partition, records):
    """A Produce v3 request (acks=1) of one record set to one partition."""
    name = topic.encode()
    body = struct.pack(">hhi", -1, 1, 5000)   # no transactional id, acks, timeout
    body += struct.pack(">ih", 1, len(name)) + name
    body += struct.pack(">iii", 1, partition, len(records)) + records
    return request(0, 3, body)


def produce_v3_result(response):
    """(error code, base offset) of the one partition of a Produce v3 response."""
    pos = 4 + 4 + 4                                  # size, correlation id, topic count
    name_length = struct.unpack(">h", response[pos:pos + 2])[0]
    pos += 2 + name_length + 4                       # name, partition count
    _, error, base_offset = struct.unpack(">ihq", response[pos:pos + 14])
    return error, base_offset


class BadInputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = SkiffNode(extra_args=["--socket-request-max-bytes", "1048576"]).start()

    @classmethod
    def tearDownClass(cls):
        cls.node.close()

    def tearDown(self):
        self.assertTrue(api_versions_ok(self.node.kafka_port), "node stopped answering")
        self.assertIsNone(self.node.proc.poll(), "node exited")

    def test_negative_and_oversized_frames_close_the_connection(self):
        self.assertEqual(send(self.node.kafka_port, struct.pack(">i", -5)), b"")
        self.assertEqual(send(self.node.kafka_port, struct.pack(">i", 2_000_000_000)), b"")
        self.assertEqual(send(self.node.kafka_port, struct.pack(">i", 1048577) + b"x" * 100), b"")
        log = self.node.log()
        self.assertIn("exceeds socket.request.max.bytes", log)
        self.assertIn("127.0.0.1:", log)

    def test_garbage_peer_frame_is_logged_through_the_node_logging(self):
        # A PeerFrame whose Hello.cluster_id is not UTF-8: protobuf refuses it and says why. That
        # line must come through the node's own log format and category, not raw to stderr.
        hello = b"\x12\x02\xff\xfe"                      # Hello.cluster_id = ff fe
        frame = b"\x0a" + bytes([len(hello)]) + hello    # PeerFrame.hello
        send(self.node.raft_port, struct.pack(">I", len(frame)) + frame, read=False)
        deadline = time.monotonic() + 10
        while "invalid UTF-8" not in self.node.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        lines = [line for line in self.node.log().splitlines() if "invalid UTF-8" in line]
        self.assertTrue(lines, self.node.log()[-2000:])
        self.assertRegex(lines[0], r"^\d{4}-\d\d-\d\dT[\d:.]+Z (warning|critical) skiff\.protobuf: ")

    def test_random_bytes(self):
        rng = random.Random(1234)
        for _ in range(200):
            size = rng.randrange(0, 300)
            body = bytes(rng.randrange(256) for _ in range(size))
            send(self.node.kafka_port, struct.pack(">i", len(body)) + body)

    def test_unknown_api_key_and_version_are_answered_or_closed(self):
        r = send(self.node.kafka_port, request(999, 0))
        self.assertIn(r, [b""], "unknown api key must close the connection")
        # Metadata v99 is not supported: the node closes rather than guess the format.
        self.assertEqual(send(self.node.kafka_port, request(3, 99)), b"")

    def test_unsupported_api_versions_version_gets_v0_error_with_ranges(self):
        r = send(self.node.kafka_port, request(18, 42, correlation=99))
        size, corr, error = struct.unpack(">iih", r[:10])
        self.assertEqual(corr, 99)
        self.assertEqual(error, 35)   # UNSUPPORTED_VERSION
        count = struct.unpack(">i", r[10:14])[0]
        self.assertGreater(count, 5)
        keys = [struct.unpack(">hhh", r[14 + 6 * i:20 + 6 * i]) for i in range(count)]
        self.assertIn((18, 0, 4), keys)

    def test_truncated_fields(self):
        # Metadata v1 whose topic array claims 1000 entries but holds none.
        r = send(self.node.kafka_port, request(3, 1, struct.pack(">i", 1000)))
        self.assertIn(r, [b"", None][:1])

    def test_unknown_compression_codec_is_refused_and_nothing_is_appended(self):
        # Codecs 5-7 decode to nothing: stored, they would stop every consumer at that offset.
        from confluent_kafka import Consumer, Producer, TopicPartition
        topic = "unknown-codec"
        producer = Producer({"bootstrap.servers": self.node.bootstrap})
        producer.produce(topic, partition=0, value=b"before")
        self.assertEqual(producer.flush(30), 0)
        reader = Consumer({"bootstrap.servers": self.node.bootstrap, "group.id": "unknown-codec-reader",
                           "enable.auto.commit": False})
        try:
            partition = TopicPartition(topic, 0)
            self.assertEqual(reader.get_watermark_offsets(partition, timeout=10), (0, 1))
            for codec in (5, 6, 7):
                r = send(self.node.kafka_port, produce_v3(topic, 0, record_batch(b"hostile", attributes=codec)))
                self.assertEqual(produce_v3_result(r), (76, -1), "codec %d: UNSUPPORTED_COMPRESSION_TYPE" % codec)
                self.assertEqual(reader.get_watermark_offsets(partition, timeout=10), (0, 1), "codec %d appended" % codec)
            # The same batch with codec 0 is taken: the refusal was for the codec, not the batch.
            r = send(self.node.kafka_port, produce_v3(topic, 0, record_batch(b"after")))
            self.assertEqual(produce_v3_result(r), (0, 1))
            reader.assign([TopicPartition(topic, 0, 0)])
            values = []
            deadline = time.monotonic() + 30
            while len(values) < 2 and time.monotonic() < deadline:
                for m in reader.consume(num_messages=10, timeout=1.0):
                    self.assertIsNone(m.error(), m.error())
                    values.append(m.value())
            self.assertEqual(values, [b"before", b"after"])
        finally:
            reader.close()

    def test_illegal_topic_names_get_an_error_code(self):
        for name in [b"bad name", b"..", b"x" * 300, b"\xff\xfe"]:
            body = struct.pack(">i", 1) + struct.pack(">h", len(name)) + name
            r = send(self.node.kafka_port, request(3, 1, body))
            self.assertGreater(len(r), 8, name)
            # response v1: size, corr, brokers[...], controller, topics[error, name, ...]
            self.assertTrue(struct.pack(">h", 17) in r, "INVALID_TOPIC_EXCEPTION for %r" % name)


if __name__ == "__main__":
    unittest.main()
