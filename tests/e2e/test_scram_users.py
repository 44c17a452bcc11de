"""SCRAM users (#18, KIP-554) through skiffctl on a 3-node cluster: `users set` on one node is
listed by every node (so it went through Raft, not a node's own store), the rules refuse with the
metadata's words, the mutations need the admin token, the password appears in no log and no file,
and the credentials survive a restart of every node from a metadata snapshot plus the log after it
(metadata.snapshot.entries is small here). Kafka's own kafka-configs against the same credentials:
tests/interop/test_scram_tool.py.
"""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SkiffCluster, poll  # noqa: E402

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
TOKEN = "e2e-scram-token"
ALICE_PASSWORD = "alice-Secret-7f3a"
BOB_PASSWORD = "bob-Secret-91c2"


def skiffctl(node, *args, stdin="", token=True):
    cmd = [SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "--timeout-ms", "10000"]
    if token:
        cmd += ["--token", TOKEN]
    env = dict(os.environ)
    env.pop("SKIFF_ADMIN_TOKEN", None)
    return subprocess.run(cmd + list(args), input=stdin, capture_output=True, text=True, timeout=60, env=env)


def users(node):
    """{user: {mechanism: iterations}} as `skiffctl --json users` on `node` lists them."""
    r = skiffctl(node, "--json", "users", token=False)
    if r.returncode != 0:
        raise AssertionError("skiffctl users exited %d: %s%s" % (r.returncode, r.stdout, r.stderr))
    listed = json.loads(r.stdout)
    return {u["name"]: {c["mechanism"]: c["iterations"] for c in u["credentials"]} for u in listed["users"]}


class ScramUsersTest(unittest.TestCase):
    def setUp(self):
        self.cluster = SkiffCluster.started(3, extra_args=["--admin-token", TOKEN, "--metadata-snapshot-entries", "10"])

    def tearDown(self):
        self.cluster.close()

    def expect_everywhere(self, want, timeout=15):
        """Every node lists exactly `want` (each applies the same log; followers may be a moment behind)."""
        got = {}

        def agreed():
            for n in self.cluster.nodes:
                got[n.node_id] = users(n)
            return all(g == want for g in got.values())
        try:
            poll("every node lists %s" % want, agreed, timeout=timeout)
        except Exception:
            self.fail("nodes list %s, want %s" % (got, want))

    def test_users_through_raft_refusals_and_restart(self):
        n1, n2, n3 = self.cluster.nodes
        self.assertEqual(users(n1), {})

        # A mutation without the token is refused, and changes nothing.
        r = skiffctl(n1, "users", "set", "alice", stdin=ALICE_PASSWORD + "\n", token=False)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("set_scram_user needs the node's admin.token", r.stderr)

        # Set on node 1: both mechanisms at 4096 iterations, listed by every node.
        r = skiffctl(n1, "users", "set", "alice", stdin=ALICE_PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("user 'alice': SCRAM-SHA-256, SCRAM-SHA-512 set (4096 iterations)", r.stdout)
        self.assertEqual(users(n1), {"alice": {"SCRAM-SHA-256": 4096, "SCRAM-SHA-512": 4096}})   # answered once applied there
        self.expect_everywhere({"alice": {"SCRAM-SHA-256": 4096, "SCRAM-SHA-512": 4096}})

        # One mechanism, other iterations, through node 3; the text listing names both users.
        r = skiffctl(n3, "users", "set", "bob", "--mechanism", "SCRAM-SHA-512", "--iterations", "8192",
                     stdin=BOB_PASSWORD + "\r\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        want = {"alice": {"SCRAM-SHA-256": 4096, "SCRAM-SHA-512": 4096}, "bob": {"SCRAM-SHA-512": 8192}}
        self.expect_everywhere(want)
        r = skiffctl(n2, "users", token=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = [l.split() for l in r.stdout.splitlines()]
        self.assertEqual(rows, [["USER", "MECHANISM", "ITERATIONS"], ["alice", "SCRAM-SHA-256", "4096"],
                                ["alice", "SCRAM-SHA-512", "4096"], ["bob", "SCRAM-SHA-512", "8192"]])

        # Refusals, each with the words of the rule that refused, exit 4; nothing changed.
        for args, stdin, words in [
                (["set", "carol", "--iterations", "1000"], "pw\n", "Too few iterations for user 'carol': 1000 (allowed: 4096 to 16384)"),
                (["set", "carol", "--iterations", "20000"], "pw\n", "Too many iterations"),
                (["set", "", "--mechanism", "SCRAM-SHA-256"], "pw\n", "Username must not be empty"),
                (["delete", "carol"], "", "user 'carol' has no SCRAM credential"),
                (["delete", "bob", "--mechanism", "SCRAM-SHA-256"], "",
                 "Attempt to delete a user credential that does not exist: SCRAM-SHA-256 of user 'bob'")]:
            r = skiffctl(n2, "users", *args, stdin=stdin)
            self.assertEqual(r.returncode, 4, "%s: %s%s" % (args, r.stdout, r.stderr))
            self.assertIn(words, r.stderr, args)
        # Usage errors: no password on stdin, an unknown mechanism.
        r = skiffctl(n2, "users", "set", "carol", stdin="")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("reads the password from the first line of stdin", r.stderr)
        r = skiffctl(n2, "users", "set", "carol", "--mechanism", "SCRAM-SHA-1", stdin="pw\n")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("--mechanism takes SCRAM-SHA-256 or SCRAM-SHA-512", r.stderr)
        self.expect_everywhere(want)

        # Delete one mechanism, then set it again with other iterations (replaces, keeps the other).
        r = skiffctl(n2, "users", "delete", "alice", "--mechanism", "SCRAM-SHA-256")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("user 'alice': SCRAM-SHA-256 deleted", r.stdout)
        r = skiffctl(n1, "--json", "users", "set", "alice", "--mechanism", "SCRAM-SHA-512", "--iterations", "16384",
                     stdin=ALICE_PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(json.loads(r.stdout)["detail"], "user 'alice': SCRAM-SHA-512 set (16384 iterations)")
        r = skiffctl(n3, "users", "set", "dave", stdin="dave-pw\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        r = skiffctl(n3, "users", "delete", "dave")   # every mechanism dave has
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("user 'dave': SCRAM-SHA-256, SCRAM-SHA-512 deleted", r.stdout)
        want = {"alice": {"SCRAM-SHA-512": 16384}, "bob": {"SCRAM-SHA-512": 8192}}
        self.expect_everywhere(want)

        # The password went nowhere: not in a log, not in a file of any node's data dir.
        for n in self.cluster.nodes:
            for secret in (ALICE_PASSWORD, BOB_PASSWORD):
                self.assertNotIn(secret, n.log(), "node %d's log" % n.node_id)
                for root, _, files in os.walk(n.data_dir):
                    for f in files:
                        with open(os.path.join(root, f), "rb") as fh:
                            self.assertNotIn(secret.encode(), fh.read(), os.path.join(root, f))

        # Every node restarts: the credentials come back from the metadata snapshot (taken every
        # 10 entries here) and the log after it, on every node.
        snapshots = [os.path.join(root, f) for n in self.cluster.nodes for root, _, files in os.walk(n.data_dir)
                     for f in files if "snap" in f]
        self.assertTrue(snapshots, "no metadata snapshot was written with metadata.snapshot.entries=10")
        for n in self.cluster.nodes:
            self.assertEqual(n.stop(), 0, n.log()[-3000:])
        for n in self.cluster.nodes:
            n.start(wait=False)
        self.cluster.wait_all_ready(60)
        self.cluster.wait_leader(timeout=30)
        self.expect_everywhere(want)


if __name__ == "__main__":
    unittest.main()
