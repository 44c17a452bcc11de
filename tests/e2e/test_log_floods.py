"""A flood of refused Kafka connections against a real skiffd: each refusal is one line (not a
second, wrong "undecodable request header"), the flood is a handful of lines in the log, every
line held back is counted in /metrics, and the flood is summed up once its interval is over."""
import re
import socket
import struct
import time
import unittest

from harness import SkiffNode, api_versions_ok, metric

FLOOD = 200
INTERVAL_S = 10   # RateLimitedLog::kDefaultInterval


def refused_request(port, correlation):
    """Metadata v99: a version no node serves. The node closes the connection without answering."""
    client = b"flood"
    frame = struct.pack(">hhih", 3, 99, correlation, len(client)) + client
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(struct.pack(">i", len(frame)) + frame)
        try:
            return s.recv(16)
        except ConnectionResetError:
            return b""


class LogFloodTest(unittest.TestCase):
    def test_refused_connections_are_a_handful_of_lines_and_the_rest_is_counted(self):
        with SkiffNode() as node:
            before = metric(node, "skiff_log_lines_suppressed_total", category="kafka_connection")
            start = time.monotonic()
            for i in range(FLOOD):
                self.assertEqual(refused_request(node.kafka_port, i), b"", "request %d was answered" % i)
            flood_seconds = time.monotonic() - start
            self.assertLess(flood_seconds, INTERVAL_S, "the flood must fit in one interval for the counts below")
            self.assertTrue(api_versions_ok(node.kafka_port))

            log = node.log()
            self.assertNotIn("undecodable request header", log)
            refusals = [l for l in log.splitlines() if "closing connection from" in l]
            self.assertEqual(len(refusals), 1, "\n".join(refusals[:10]))
            self.assertRegex(refusals[0], r"warning skiff\.kafka: closing connection from 127\.0\.0\.1:\d+: Metadata "
                                          r"\(api key 3\) version 99 is not supported")
            held = metric(node, "skiff_log_lines_suppressed_total", category="kafka_connection") - before
            self.assertEqual(held, FLOOD - 1)
            self.assertEqual(metric(node, "skiff_log_lines_suppressed_total", category="append_failed"), 0)

            # Once the interval is over the flood is summed up in one more line, by itself.
            deadline = time.monotonic() + INTERVAL_S + 10
            summary = []
            while not summary and time.monotonic() < deadline:
                summary = [l for l in node.log().splitlines()
                           if re.search(r"\(the last of %d more like this in the last 1\d\.\d s\)" % (FLOOD - 1), l)]
                time.sleep(0.2)
            self.assertEqual(len(summary), 1, node.log()[-3000:])
            self.assertIn("version 99 is not supported", summary[0])
            self.assertEqual(len([l for l in node.log().splitlines() if "closing connection from" in l]), 2)
            print("\n%d refused connections in %.1f s: 2 log lines, %d held back and counted"
                  % (FLOOD, flood_seconds, held))


if __name__ == "__main__":
    unittest.main()
