"""Clients that hold memory or connections against a real skiffd: large frames announced and
partly sent stay within queued.max.request.bytes while normal clients are served; a frame not
whole in time, and a connection left idle, are closed on the Kafka listener and on the admin
socket, each with one line naming the peer and counted in /metrics by reason."""
import os
import socket
import struct
import subprocess
import threading
import time
import unittest

from confluent_kafka import Producer

import kafka_wire as kw
from harness import SkiffNode, api_versions_ok, closed_by_peer, sample_value, scrape

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
MiB = 1 << 20


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS for pid %d" % pid)


class PartialFrameSender(threading.Thread):
    """Announces a frame of `announced` bytes and sends `to_send` of them, as fast as the node
    reads, then keeps the connection open (never completing the frame) until stopped."""

    def __init__(self, port, announced, to_send):
        super().__init__(daemon=True)
        self.port, self.announced, self.to_send = port, announced, to_send
        self.sent = 0
        self.stop = threading.Event()
        self.error = None

    def run(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                s.settimeout(0.2)
                s.sendall(struct.pack(">i", self.announced))
                chunk = b"\x00" * MiB
                while self.sent < self.to_send and not self.stop.is_set():
                    try:
                        self.sent += s.send(chunk[: min(len(chunk), self.to_send - self.sent)])
                    except socket.timeout:
                        pass   # the node is not reading: TCP pushes back on us
                self.stop.wait()
        except OSError as e:
            self.error = e


class ReadBoundTest(unittest.TestCase):
    LIMIT = 64 * MiB
    ANNOUNCED = 100_000_000
    SENT = 60_000_000
    CONNECTIONS = 5

    def test_large_partial_frames_stay_within_queued_max_request_bytes(self):
        args = ["--queued-max-request-bytes", str(self.LIMIT), "--socket-request-max-bytes", str(104857600),
                "--socket-request-timeout-ms", "120000"]
        with SkiffNode(extra_args=args) as node:
            # Warm up the paths a normal client takes, so the baseline holds what they allocate.
            self.produce_and_flush(node, "warm-up")
            baseline = rss_bytes(node.proc.pid)

            senders = [PartialFrameSender(node.kafka_port, self.ANNOUNCED, self.SENT) for _ in range(self.CONNECTIONS)]
            peak = baseline
            try:
                for s in senders:
                    s.start()
                # Until the senders stop making progress (the node stopped reading) or sent all.
                last_total, last_change = -1, time.monotonic()
                deadline = time.monotonic() + 90
                while time.monotonic() < deadline:
                    peak = max(peak, rss_bytes(node.proc.pid))
                    total = sum(s.sent for s in senders)
                    if total != last_total:
                        last_total, last_change = total, time.monotonic()
                    elif time.monotonic() - last_change > 3 or total == self.SENT * self.CONNECTIONS:
                        break
                    time.sleep(0.05)
                for s in senders:
                    self.assertIsNone(s.error)

                # A normal client is served meanwhile: a raw ApiVersions and a real producer.
                self.assertTrue(api_versions_ok(node.kafka_port, timeout=5), "ApiVersions not answered")
                self.produce_and_flush(node, "served-meanwhile")
                families = scrape(node)
                peak = max(peak, rss_bytes(node.proc.pid))
            finally:
                for s in senders:
                    s.stop.set()
                for s in senders:
                    s.join(10)

            growth = peak - baseline
            being_read = sample_value(families, "skiff_kafka_request_bytes_being_read")
            print("\n%d connections announced %d bytes each and sent up to %d: they got %d bytes in, the node "
                  "read %d of them; RSS %.1f MiB before, peak %.1f MiB (+%.1f MiB)"
                  % (self.CONNECTIONS, self.ANNOUNCED, self.SENT, sum(s.sent for s in senders), being_read,
                     baseline / MiB, peak / MiB, growth / MiB))
            # What the node may hold: the bound, plus the oldest frame in progress, which goes on
            # past it so that requests being read always finish (at most what its sender sent),
            # plus Qt's read buffer of 1 MiB per connection, plus 24 MiB for the allocator and
            # what a request in flight costs. Without the bound each connection holds all it sent
            # (5 x 57 MiB) and more.
            bound = self.LIMIT + self.SENT + self.CONNECTIONS * MiB + 24 * MiB
            self.assertLess(growth, bound, "RSS grew by %.1f MiB" % (growth / MiB))
            # The bound was reached and held: not a test where nothing happened.
            self.assertGreaterEqual(being_read, self.LIMIT)
            self.assertLessEqual(being_read, self.LIMIT + self.SENT)
            self.assertGreaterEqual(sample_value(families, "skiff_kafka_connections_read_paused"), 1)
            self.assertEqual(sample_value(families, "skiff_kafka_queued_max_request_bytes"), self.LIMIT)
            self.assertLess(sum(s.sent for s in senders), self.SENT * self.CONNECTIONS)
            self.assertIsNone(node.proc.poll(), "node exited")

    def produce_and_flush(self, node, topic):
        p = Producer({"bootstrap.servers": node.bootstrap, "acks": "all", "message.timeout.ms": 20000})
        for i in range(100):
            p.produce(topic, b"message %d" % i)
        self.assertEqual(p.flush(30), 0, "messages not delivered")


class KafkaTimeoutsTest(unittest.TestCase):
    def test_a_frame_not_whole_in_time_is_closed_and_a_busy_connection_is_not(self):
        with SkiffNode(extra_args=["--socket-request-timeout-ms", "1000", "--connections-max-idle-ms", "600000"]) as node:
            busy = socket.create_connection(("127.0.0.1", node.kafka_port), timeout=5)
            stalled = socket.create_connection(("127.0.0.1", node.kafka_port), timeout=5)
            stalled.sendall(struct.pack(">i", 100) + b"x" * 10)
            port = stalled.getsockname()[1]
            # The busy connection sends whole requests for 3 s: it is answered every time.
            stop = threading.Event()

            def keep_busy():
                for i in range(15):
                    busy.sendall(kw.frame(18, 0, b"", correlation=i))
                    size = struct.unpack(">i", busy.recv(4))[0]
                    while size > 0:
                        size -= len(busy.recv(size))
                    time.sleep(0.2)
                stop.set()
            worker = threading.Thread(target=keep_busy)
            worker.start()
            elapsed = closed_by_peer(stalled, 10)
            worker.join(30)
            self.assertTrue(stop.is_set(), "the busy connection was not answered throughout")
            self.assertIsNotNone(elapsed, "a frame not whole after 10 s was not closed")
            self.assertGreaterEqual(elapsed, 0.9)
            self.assertLess(elapsed, 2.5)   # 1 s, checked every 250 ms, and a loaded machine
            lines = [line for line in node.log().splitlines() if "127.0.0.1:%d" % port in line]
            self.assertEqual(len(lines), 1, node.log()[-3000:])
            self.assertIn("closing connection from 127.0.0.1:%d: its request frame is not whole" % port, lines[0])
            self.assertIn("10 of 100 bytes received; socket.request.timeout.ms = 1000", lines[0])
            families = scrape(node)
            self.assertEqual(sample_value(families, "skiff_kafka_connections_closed_total", reason="request_timeout"), 1)
            busy.close()
            stalled.close()

    def test_an_idle_connection_is_closed_and_an_active_one_is_not(self):
        with SkiffNode(extra_args=["--connections-max-idle-ms", "1000"]) as node:
            idle = socket.create_connection(("127.0.0.1", node.kafka_port), timeout=5)
            port = idle.getsockname()[1]
            active = socket.create_connection(("127.0.0.1", node.kafka_port), timeout=5)
            answered = []

            def keep_talking():   # a request every 300 ms for 3 s, from the start
                try:
                    for i in range(10):
                        active.sendall(kw.frame(18, 0, b"", correlation=i))
                        size = struct.unpack(">i", active.recv(4))[0]
                        while size > 0:
                            size -= len(active.recv(size))
                        answered.append(i)
                        time.sleep(0.3)
                except (OSError, struct.error):
                    pass
            worker = threading.Thread(target=keep_talking)
            start = time.monotonic()
            worker.start()
            elapsed = closed_by_peer(idle, 10)
            worker.join(30)
            self.assertIsNotNone(elapsed, "an idle connection was not closed within 10 s")
            self.assertGreaterEqual(elapsed, 0.9)
            self.assertLess(elapsed, 2.5)   # 1 s, checked every 250 ms, and a loaded machine
            self.assertEqual(answered, list(range(10)), "the active connection was closed")
            active.close()
            idle.close()
            self.assertGreater(time.monotonic() - start, 2.9)
            line = [l for l in node.log().splitlines() if "127.0.0.1:%d" % port in l]
            self.assertEqual(len(line), 1, node.log()[-3000:])
            self.assertIn("closing idle connection from 127.0.0.1:%d: nothing received, sent or in flight for" % port,
                          line[0])
            self.assertIn("(connections.max.idle.ms = 1000)", line[0])
            families = scrape(node)
            self.assertGreaterEqual(sample_value(families, "skiff_kafka_connections_closed_total", reason="idle"), 1)


class AdminTimeoutsTest(unittest.TestCase):
    def test_admin_partial_frame_and_idle_connection_are_closed_and_a_stream_is_not(self):
        args = ["--socket-request-timeout-ms", "1000", "--admin-connections-max-idle-ms", "1500"]
        with SkiffNode(extra_args=args) as node:
            partial = socket.create_connection(("127.0.0.1", node.admin_port), timeout=5)
            partial.sendall(struct.pack(">i", 100) + b"\x08" * 10)
            partial_port = partial.getsockname()[1]
            idle = socket.create_connection(("127.0.0.1", node.admin_port), timeout=5)
            idle_port = idle.getsockname()[1]
            # A skiffctl watch stream receives for 4 s without sending: it is not idle.
            watch = subprocess.Popen([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "watch", "--rate", "2",
                                      "--count", "8"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                partial_elapsed = closed_by_peer(partial, 10)
                idle_elapsed = closed_by_peer(idle, 10)
                out, err = watch.communicate(timeout=30)
            finally:
                if watch.poll() is None:
                    watch.kill()
                    watch.wait()
            self.assertIsNotNone(partial_elapsed, "a partial admin frame was not closed within 10 s")
            self.assertGreaterEqual(partial_elapsed, 0.9)
            self.assertLess(partial_elapsed, 2.5)
            partial.close()
            idle.close()
            self.assertIsNotNone(idle_elapsed, "an idle admin connection was not closed")
            self.assertEqual(watch.returncode, 0, err)
            self.assertGreaterEqual(len(out.strip().splitlines()), 8, out)

            log = node.log().splitlines()
            partial_lines = [l for l in log if "127.0.0.1:%d" % partial_port in l]
            self.assertEqual(len(partial_lines), 1, "\n".join(log[-30:]))
            self.assertIn("closing admin connection from 127.0.0.1:%d: its request frame is not whole" % partial_port,
                          partial_lines[0])
            idle_lines = [l for l in log if "127.0.0.1:%d" % idle_port in l]
            self.assertEqual(len(idle_lines), 1, "\n".join(log[-30:]))
            self.assertIn("closing idle admin connection from 127.0.0.1:%d" % idle_port, idle_lines[0])
            self.assertIn("(admin.connections.max.idle.ms = 1500)", idle_lines[0])
            families = scrape(node)
            self.assertEqual(sample_value(families, "skiff_admin_connections_closed_total", reason="request_timeout"), 1)
            self.assertGreaterEqual(sample_value(families, "skiff_admin_connections_closed_total", reason="idle"), 1)


if __name__ == "__main__":
    unittest.main()
