"""Listeners survive a brief exhaustion of file descriptors. Qt pauses a listener whose accept()
fails (EMFILE) and never resumes it by itself: the admin socket once stayed deaf for good after
one such moment. Every listener now logs the failure once, retries, and says when it accepts again."""
import os
import resource
import socket
import subprocess
import time
import unittest

from harness import SkiffNode, api_versions_ok, http_get

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))

# Room for what skiffd opens to start (about 40 descriptors) and a few dozen connections. Soft and
# hard alike: skiffd may raise its soft limit to the hard one at start.
FD_LIMIT = 128


def limit_open_files():
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))


def wait_for(what, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("%s not seen within %ss" % (what, timeout))


class AcceptErrorsTest(unittest.TestCase):
    def setUp(self):
        # This process holds a socket per connection it opens: make sure it is not the one to run out.
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if hard == resource.RLIM_INFINITY or hard > 4096:
            hard = 4096
        if soft != resource.RLIM_INFINITY and soft < hard:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))

    def test_every_listener_accepts_again_after_file_descriptors_ran_out(self):
        with SkiffNode(preexec_fn=limit_open_files) as node:
            with open("/proc/%d/limits" % node.proc.pid) as f:
                self.assertRegex(f.read(), r"Max open files\s+%d\s+%d" % (FD_LIMIT, FD_LIMIT))
            listeners = {"kafka.listen": node.kafka_port, "admin.listen": node.admin_port,
                         "raft.listen": node.raft_port, "http.listen": node.http_port}
            # How each listener names itself in the log: Kafka's by listener name.
            logged = {name: name for name in listeners}
            logged["kafka.listen"] = "Kafka listener PLAINTEXT"
            failed = {name: "%s 127.0.0.1:%d: cannot accept connections" % (logged[name], port)
                      for name, port in listeners.items()}
            resumed = {name: "%s 127.0.0.1:%d: accepting connections again" % (logged[name], port)
                       for name, port in listeners.items()}
            clients = []
            try:
                # Kafka clients take every descriptor the node has left; the kernel still completes
                # connections into the listen backlog, so connecting never fails on this side.
                while failed["kafka.listen"] not in node.log():
                    self.assertLess(len(clients), FD_LIMIT + 100, "the node never failed to accept:\n" + node.log())
                    clients.append(socket.create_connection(("127.0.0.1", node.kafka_port), timeout=5))
                    time.sleep(0.005)
                # Now every other listener meets the same wall.
                for name in ("admin.listen", "raft.listen", "http.listen"):
                    clients.append(socket.create_connection(("127.0.0.1", listeners[name]), timeout=5))
                    wait_for(failed[name], lambda: failed[name] in node.log())
                time.sleep(1.5)   # every listener retries and fails several times meanwhile
                self.assertIsNone(node.proc.poll(), "skiffd exited:\n" + node.log())
            finally:
                for c in clients:
                    c.close()

            wait_for("Kafka ApiVersions answered", lambda: api_versions_ok(node.kafka_port))
            r = subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "--timeout-ms", "5000", "status"],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(http_get(node.http_port, "/health")[0], 200)

            for name in listeners:
                wait_for(resumed[name], lambda: resumed[name] in node.log())
            log = node.log()
            for name in listeners:
                lines = [line for line in log.splitlines() if failed[name] in line]
                self.assertEqual(len(lines), 1, "one line per episode, not per attempt: %r" % lines)
                self.assertIn("check the open-file limit", lines[0])
                self.assertRegex(lines[0], r" warning skiff\.\w+: ")


if __name__ == "__main__":
    unittest.main()
