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
        self.assertIn((18, 0, 3), keys)

    def test_truncated_fields(self):
        # Metadata v1 whose topic array claims 1000 entries but holds none.
        r = send(self.node.kafka_port, request(3, 1, struct.pack(">i", 1000)))
        self.assertIn(r, [b"", None][:1])

    def test_illegal_topic_names_get_an_error_code(self):
        for name in [b"bad name", b"..", b"x" * 300, b"\xff\xfe"]:
            body = struct.pack(">i", 1) + struct.pack(">h", len(name)) + name
            r = send(self.node.kafka_port, request(3, 1, body))
            self.assertGreater(len(r), 8, name)
            # response v1: size, corr, brokers[...], controller, topics[error, name, ...]
            self.assertTrue(struct.pack(">h", 17) in r, "INVALID_TOPIC_EXCEPTION for %r" % name)


if __name__ == "__main__":
    unittest.main()
