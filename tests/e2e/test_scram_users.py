"""SCRAM users (#18, KIP-554) through skiffctl on a 3-node cluster: `users set` on one node is
listed by every node (so it went through Raft, not a node's own store), the rules refuse with the
metadata's words, the mutations need the admin token, the password appears in no log and no file,
and the credentials survive a restart of every node from a metadata snapshot plus the log after it
(metadata.snapshot.entries is small here). Kafka's DescribeUserScramCredentials and
AlterUserScramCredentials by hand-encoded request (kafka_wire.py): Kafka's per-user answers. Kafka's
own kafka-configs against a cluster: tests/interop/test_kafka_tools.py test_scram_credentials.
"""
import hashlib
import json
import os
import struct
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kafka_wire as kw  # noqa: E402
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


# Kafka's error codes (Errors.java) and ScramMechanism codes.
NONE, UNSUPPORTED_SASL_MECHANISM, RESOURCE_NOT_FOUND, DUPLICATE_RESOURCE, UNACCEPTABLE_CREDENTIAL = 0, 33, 91, 92, 93
SHA256, SHA512 = 1, 2


def compact_bytes(b):
    return kw.uvarint(len(b) + 1) + b


def describe_scram(node, users):
    """DescribeUserScramCredentials v0 (key 50): (error code, {user: (error, message, [(mechanism, iterations)])})."""
    body = kw.compact_array(users, lambda u: kw.compact_string(u) + b"\x00") + b"\x00"
    r = kw.call(node, 50, 0, True, body)
    r.take(">i")
    error = r.take(">h")
    r.string()

    def result():
        user, code, message = r.string(), r.take(">h"), r.string()
        infos = r.array(lambda: (r.take(">b"), r.take(">i"), r.tags())[:2])
        r.tags()
        return user, (code, message, infos)
    results = r.array(result)
    r.tags()
    r.done()
    return error, dict(results)


def alter_scram(node, deletions, upsertions):
    """AlterUserScramCredentials v0 (key 51): {user: (error, message)}, one result per user."""
    body = kw.compact_array(deletions, lambda d: kw.compact_string(d[0]) + struct.pack(">b", d[1]) + b"\x00")
    body += kw.compact_array(upsertions, lambda u: kw.compact_string(u[0]) + struct.pack(">bi", u[1], u[2])
                             + compact_bytes(u[3]) + compact_bytes(u[4]) + b"\x00")
    body += b"\x00"
    r = kw.call(node, 51, 0, True, body)
    r.take(">i")
    results = r.array(lambda: (r.string(), r.take(">h"), r.string(), r.tags())[:3])
    r.tags()
    r.done()
    users = [u for u, _, _ in results]
    assert len(users) == len(set(users)), "a user answered twice: %s" % results
    return {u: (code, message) for u, code, message in results}


def salted(mechanism, password, salt, iterations):
    return hashlib.pbkdf2_hmac("sha256" if mechanism == SHA256 else "sha512", password.encode(), salt, iterations)


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

        # Every node's log says what changed, by user and mechanism (never a secret).
        for n in self.cluster.nodes:
            self.assertIn("SCRAM credentials: set SCRAM-SHA-256 of 'alice' (4096 iterations), set SCRAM-SHA-512 of 'alice' "
                          "(4096 iterations)", n.log(), "node %d" % n.node_id)
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


    def test_at_a_terminal_the_password_is_prompted_for_and_not_echoed(self):
        import pty
        n1 = self.cluster.node(1)
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(SKIFFCTL, [SKIFFCTL, "--admin", "127.0.0.1:%d" % n1.admin_port, "--token", TOKEN,
                                "users", "set", "carol", "--mechanism", "SCRAM-SHA-256"])
        seen = b""
        try:
            import select
            deadline = time.monotonic() + 20
            while b"Password for carol: " not in seen:
                if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
                    self.fail("no password prompt at the terminal within 20 s: %r" % seen)
                seen += os.read(fd, 1024)
            os.write(fd, b"carol-Secret-55\n")
            while True:
                if not select.select([fd], [], [], max(0.0, deadline + 20 - time.monotonic()))[0]:
                    self.fail("skiffctl did not finish within 40 s of the prompt: %r" % seen)
                try:
                    chunk = os.read(fd, 1024)
                except OSError:   # the child closed the terminal
                    break
                if not chunk:
                    break
                seen += chunk
        finally:
            if sys.exc_info()[0] is not None:   # failed above: the child may still wait for input
                os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
        self.assertEqual(os.waitstatus_to_exitcode(status), 0, seen)
        self.assertNotIn(b"carol-Secret-55", seen)
        self.expect_everywhere({"carol": {"SCRAM-SHA-256": 4096}})

    def test_kafka_api_answers_per_user(self):
        """AlterUserScramCredentials answers each user with Kafka's code (ScramControlManager's
        rules; a user named in two operations is DUPLICATE_RESOURCE and none of them is carried
        out) while the valid users of the same request are stored; DescribeUserScramCredentials
        lists them from another node, never their secrets."""
        n1, n2, _ = self.cluster.nodes
        salt = b"0123456789abcdef"
        good = salted(SHA512, "good-pw", salt, 8192)
        answers = alter_scram(n1, deletions=[("ghost", SHA256), ("dup", SHA256)],
                              upsertions=[("good", SHA512, 8192, salt, good),
                                          ("dup", SHA512, 4096, salt, good),
                                          ("twice", SHA256, 4096, salt, salted(SHA256, "pw", salt, 4096)),
                                          ("twice", SHA512, 4096, salt, good),
                                          ("weird", 3, 4096, salt, good),
                                          ("few", SHA256, 4095, salt, good),
                                          ("many", SHA256, 16385, salt, good),
                                          ("nosalt", SHA256, 4096, b"", good),
                                          ("nopassword", SHA256, 4096, salt, b""),
                                          ("", SHA256, 4096, salt, good)])
        codes = {u: a[0] for u, a in answers.items()}
        self.assertEqual(codes, {"ghost": RESOURCE_NOT_FOUND, "dup": RESOURCE_NOT_FOUND,   # its first refusal stands
                                 "good": NONE, "twice": DUPLICATE_RESOURCE, "weird": UNSUPPORTED_SASL_MECHANISM,
                                 "few": UNACCEPTABLE_CREDENTIAL, "many": UNACCEPTABLE_CREDENTIAL,
                                 "nosalt": UNACCEPTABLE_CREDENTIAL, "nopassword": UNACCEPTABLE_CREDENTIAL,
                                 "": UNACCEPTABLE_CREDENTIAL}, answers)
        self.assertIsNone(answers["good"][1])
        self.assertIn("Attempt to delete a user credential that does not exist", answers["ghost"][1])
        self.assertIn("A user credential cannot be altered twice in the same request", answers["twice"][1])
        self.assertIn("Too few iterations", answers["few"][1])
        self.assertIn("Too many iterations", answers["many"][1])
        self.assertIn("Salt must not be empty", answers["nosalt"][1])
        self.assertIn("Salted password must not be empty", answers["nopassword"][1])
        self.assertIn("Username must not be empty", answers[""][1])

        # Answered once applied on the node asked: it describes good at once.
        want = {"good": (NONE, None, [(SHA512, 8192)])}
        self.assertEqual(describe_scram(n1, ["good"]), (NONE, want))
        # Every user (null list) from another node: only good, mechanism and iterations only.
        poll("node 2 describes good", lambda: describe_scram(n2, None) == (NONE, want), timeout=15)
        self.assertEqual(describe_scram(n2, []), (NONE, want))   # an empty list means every user too
        error, results = describe_scram(n2, ["good", "nobody", "good2", "good2"])
        self.assertEqual(error, NONE)
        self.assertEqual(results, {
            "good": (NONE, None, [(SHA512, 8192)]),
            "nobody": (RESOURCE_NOT_FOUND, "Attempt to describe a user credential that does not exist: nobody", []),
            "good2": (DUPLICATE_RESOURCE, "Cannot describe SCRAM credentials for the same user twice in a single request: good2",
                      [])})
        self.assertEqual(users(n2), {"good": {"SCRAM-SHA-512": 8192}})   # skiffctl lists the same credentials

        # Deleting through the Kafka API, then deleting again: RESOURCE_NOT_FOUND.
        self.assertEqual(alter_scram(n2, [("good", SHA512)], []), {"good": (NONE, None)})
        self.assertEqual(alter_scram(n2, [("good", SHA512)], [])["good"][0], RESOURCE_NOT_FOUND)
        self.assertEqual(describe_scram(n2, None), (NONE, {}))


if __name__ == "__main__":
    unittest.main()
