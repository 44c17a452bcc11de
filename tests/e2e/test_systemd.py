"""skiffd under a stand-in for systemd: a datagram socket as NOTIFY_SOCKET, WATCHDOG_USEC set.
It must say STATUS= at every startup state, READY=1 once Kafka listens, WATCHDOG=1 while it runs,
and STOPPING=1 on SIGTERM; without NOTIFY_SOCKET it must not care (every other e2e test)."""
import os
import signal
import socket
import tempfile
import time
import unittest

from harness import SkiffNode, api_versions_ok


class SystemdNotifyTest(unittest.TestCase):
    def test_status_ready_watchdog_stopping(self):
        with tempfile.TemporaryDirectory(prefix="skiff-notify-") as tmp:
            path = os.path.join(tmp, "notify")
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            sock.bind(path)
            sock.settimeout(0.05)
            old = {k: os.environ.get(k) for k in ("NOTIFY_SOCKET", "WATCHDOG_USEC")}
            os.environ["NOTIFY_SOCKET"] = path
            os.environ["WATCHDOG_USEC"] = "1000000"   # keep-alive every 250 ms
            node = SkiffNode()
            messages = []

            def drain(seconds):
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    try:
                        messages.append(sock.recv(4096).decode())
                    except socket.timeout:
                        pass
            try:
                node.start(wait=False)
                deadline = time.monotonic() + 30
                while not any("READY=1" in m for m in messages):
                    self.assertIsNone(node.proc.poll(), node.log())
                    self.assertLess(time.monotonic(), deadline, "no READY=1: %s\n%s" % (messages, node.log()))
                    drain(0.05)
                self.assertTrue(api_versions_ok(node.kafka_port), "READY=1 before Kafka listens")
                drain(1.0)
                statuses = [line[len("STATUS="):].split(":")[0] for m in messages for line in m.splitlines()
                            if line.startswith("STATUS=")]
                self.assertEqual(statuses[:2], ["starting", "loading-metadata"], messages)
                self.assertIn("waiting-for-leader", statuses)
                self.assertEqual(statuses[-1], "ready", messages)
                ready = next(m for m in messages if "READY=1" in m)
                self.assertRegex(ready, r"STATUS=ready: Kafka clients served on 127\.0\.0\.1:\d+")
                after_ready = messages[messages.index(ready) + 1:]
                self.assertGreaterEqual(sum(m == "WATCHDOG=1" for m in after_ready), 3, messages)
                self.assertEqual(node.stop(), 0, node.log())
                drain(0.2)
                self.assertIn("STATUS=stopping\nSTOPPING=1", messages)
                self.assertIn("systemd notification socket found; watchdog every 1000 ms", node.log())
            finally:
                node.close()
                sock.close()
                for k, v in old.items():
                    if v is None:
                        os.environ.pop(k, None)
                    else:
                        os.environ[k] = v


class RepeatedStopTest(unittest.TestCase):
    def test_sigterm_repeated_until_exit_is_still_a_clean_exit(self):
        """A supervisor or a script may ask again while skiffd winds down (the e2e cluster restart
        does): every SIGTERM, however late in the teardown, must leave exit code 0, never death by
        signal (-15). Several stops, each with SIGTERM every half millisecond until the process is gone."""
        for attempt in range(5):
            node = SkiffNode()
            try:
                node.start()
                while node.proc.poll() is None:
                    try:
                        node.proc.send_signal(signal.SIGTERM)
                    except ProcessLookupError:
                        break
                    time.sleep(0.0005)
                self.assertEqual(node.proc.wait(30), 0, "stop %d:\n%s" % (attempt + 1, node.log()))
            finally:
                node.close()


if __name__ == "__main__":
    unittest.main()
