"""skiffctl acls (#18) on 3 nodes with a SASL listener and the authorizer: `acls add` through node 1
with the admin token is listed by every node's `skiffctl acls --json` (it went through Raft), is
what librdkafka's alice may then do (she produces acks=all and reads back after the add, and is
denied after `acls remove`), is refused without the token, refuses a bad ACL with the metadata's
words (exit 4) and an unknown name before sending anything (exit 2, naming the valid ones). On one
node without authorizer.enable the admin socket still manages ACLs: it is the operator's tool.
Kafka's own ACL APIs on the same image: test_acls.py."""
import json
import time
import unittest

from confluent_kafka import Consumer, KafkaError, Producer
from harness import SkiffCluster, SkiffNode, poll

from test_scram_users import TOKEN, skiffctl  # noqa: E402  (the same skiffctl runner and admin token)

MECHANISM = "SCRAM-SHA-256"
ALICE_PASSWORD = "alice-Secret-acl"


def ok(r):
    if r.returncode != 0:
        raise AssertionError("skiffctl exited %d: %s%s" % (r.returncode, r.stdout, r.stderr))
    return r.stdout


def listed(node, *selectors):
    """The ACLs `skiffctl --json acls SELECTORS` lists on `node`, each as a tuple of Kafka's names."""
    acls = json.loads(ok(skiffctl(node, "--json", "acls", *selectors, token=False))).get("acls", [])
    return sorted((a["resource_type"], a["pattern_type"], a["resource_name"], a["principal"], a["host"], a["permission"],
                   a["operation"]) for a in acls)


ALICE_WRITE = ("TOPIC", "LITERAL", "ctl-orders", "User:alice", "*", "ALLOW", "WRITE")
ALICE_READ = ("TOPIC", "LITERAL", "ctl-orders", "User:alice", "*", "ALLOW", "READ")
ALICE_GROUP = ("GROUP", "PREFIXED", "app-", "User:alice", "*", "ALLOW", "READ")


class AclsCtlClusterTest(unittest.TestCase):
    """Followers fetch over the PLAINTEXT inter-broker listener as User:ANONYMOUS, a super user
    here (as in test_acls.py); alice is a SCRAM user on the SASL listener."""

    def setUp(self):
        self.cluster = SkiffCluster.started(3, extra_args=[
            "--admin-token", TOKEN, "--sasl-enabled-mechanisms", MECHANISM, "--authorizer-enable", "true",
            "--super-users", "User:ANONYMOUS", "--min-insync-replicas", "2"], listeners=[("SASL", "SASL_PLAINTEXT")])
        self.addCleanup(self.cluster.close)
        n1 = self.cluster.node(1)
        ok(skiffctl(n1, "users", "set", "alice", "--mechanism", MECHANISM, stdin=ALICE_PASSWORD + "\n"))
        ok(skiffctl(n1, "create-topic", "ctl-orders", "--partitions", "2", "--replication-factor", "3"))

    def librdkafka(self, node_id=1, **extra):
        conf = {"bootstrap.servers": "127.0.0.1:%d" % self.cluster.node(node_id).listener_ports["SASL"],
                "security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": MECHANISM,
                "sasl.username": "alice", "sasl.password": ALICE_PASSWORD}
        conf.update(extra)
        return conf

    def produce(self, node_id=1, count=5):
        """The delivery error codes of alice's `count` messages to ctl-orders (None for each delivered)."""
        errors = []
        p = Producer(self.librdkafka(node_id, **{"message.timeout.ms": 15000, "acks": "all"}))
        for i in range(count):
            p.produce("ctl-orders", value=b"m%d" % i, on_delivery=lambda err, msg: errors.append(err.code() if err else None))
        p.flush(30)
        return errors

    def expect_everywhere(self, want):
        got = {}

        def agreed():
            for n in self.cluster.nodes:
                got[n.node_id] = listed(n)
            return all(g == want for g in got.values())
        try:
            poll("every node lists %s" % want, agreed, timeout=15)
        except Exception:
            self.fail("nodes list %s, want %s" % (got, want))

    def test_acls_through_raft_enforced_and_refused(self):
        n1, n2, n3 = self.cluster.nodes
        self.assertEqual(listed(n1), [])
        # Nothing allowed yet: alice is denied.
        self.assertEqual(self.produce(count=1), [KafkaError.TOPIC_AUTHORIZATION_FAILED])

        # A mutation without the token is refused and changes nothing.
        r = skiffctl(n1, "acls", "add", "--principal", "User:alice", "--operation", "WRITE", "--topic", "ctl-orders",
                     token=False)
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("add_acls needs the node's admin.token", r.stderr)

        # Added through node 1 (names in any case), answered once applied there, listed by every node.
        r = skiffctl(n1, "acls", "add", "--principal", "User:alice", "--operation", "write,Read", "--topic", "ctl-orders")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["added TOPIC:LITERAL:ctl-orders User:alice from * ALLOW WRITE",
                                                 "added TOPIC:LITERAL:ctl-orders User:alice from * ALLOW READ"])
        self.assertEqual(listed(n1), [ALICE_READ, ALICE_WRITE])
        ok(skiffctl(n3, "acls", "add", "--principal", "User:alice", "--operation", "READ", "--group", "app-", "--prefixed"))
        self.expect_everywhere(sorted([ALICE_WRITE, ALICE_READ, ALICE_GROUP]))

        # Filters: by principal and resource type, by resource name, by pattern type; the text table.
        self.assertEqual(listed(n2, "--principal", "User:alice", "--resource-type", "group"), [ALICE_GROUP])
        self.assertEqual(listed(n2, "--topic", "ctl-orders", "--operation", "WRITE"), [ALICE_WRITE])
        self.assertEqual(listed(n2, "--prefixed"), [ALICE_GROUP])
        self.assertEqual(listed(n2, "--principal", "User:bob"), [])
        r = skiffctl(n2, "acls", "--resource-type", "TOPIC", token=False)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([l.split() for l in r.stdout.splitlines()],
                         [["TYPE", "PATTERN", "RESOURCE", "PRINCIPAL", "HOST", "PERMISSION", "OPERATION"],
                          ["TOPIC", "LITERAL", "ctl-orders", "User:alice", "*", "ALLOW", "READ"],
                          ["TOPIC", "LITERAL", "ctl-orders", "User:alice", "*", "ALLOW", "WRITE"]])

        # Effective on every node for librdkafka: alice writes acks=all (RF 3) and reads back in her group.
        self.assertEqual(self.produce(node_id=2, count=10), [None] * 10)
        c = Consumer(self.librdkafka(3, **{"group.id": "app-ctl", "auto.offset.reset": "earliest"}))
        c.subscribe(["ctl-orders"])
        values, deadline = [], time.monotonic() + 30
        while len(values) < 10 and time.monotonic() < deadline:
            m = c.poll(0.5)
            if m is not None:
                self.assertIsNone(m.error(), m.error())
                values.append(m.value())
        c.close()
        self.assertEqual(sorted(values), sorted(b"m%d" % i for i in range(10)))

        # Removed through node 2 with the selectors that added it: alice is denied again.
        r = skiffctl(n2, "acls", "remove", "--topic", "ctl-orders", "--principal", "User:alice", "--operation", "WRITE")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(r.stdout.strip(), "removed TOPIC:LITERAL:ctl-orders User:alice from * ALLOW WRITE")
        self.expect_everywhere(sorted([ALICE_READ, ALICE_GROUP]))
        poll("alice denied on ctl-orders", lambda: self.produce(node_id=1, count=1) == [KafkaError.TOPIC_AUTHORIZATION_FAILED])
        # None left matching: refused. The filter form (no principal, no operation) removes the rest of the pattern.
        r = skiffctl(n1, "acls", "remove", "--topic", "ctl-orders", "--operation", "WRITE")
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("no ACL matches", r.stderr)
        ok(skiffctl(n1, "acls", "remove", "--topic", "ctl-orders"))
        self.expect_everywhere([ALICE_GROUP])

        # Refused by the metadata's rules, in its (Kafka's) words; nothing changed.
        for args, words in [
                (["--principal", "alice", "--operation", "READ", "--topic", "t"],
                 "Could not parse principal from `alice` (expected a string in format principalType:principalName)"),
                (["--principal", "User:alice", "--operation", "ALTER", "--resource-type", "cluster", "--resource", "c"],
                 "The only valid name for the CLUSTER resource is kafka-cluster"),
                (["--principal", "User:alice", "--operation", "ANY", "--topic", "t"], "is not one of")]:
            r = skiffctl(n2, "acls", "add", *args)
            self.assertNotEqual(r.returncode, 0, args)
            self.assertIn(words, r.stderr, args)
            self.assertEqual(r.returncode, 2 if words == "is not one of" else 4, (args, r.stderr))
        # Unknown names are usage errors naming the valid ones; nothing is sent.
        r = skiffctl(n2, "acls", "add", "--principal", "User:alice", "--operation", "REED", "--topic", "t")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("--operation 'REED' is not one of ALL, READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE", r.stderr)
        r = skiffctl(n2, "acls", "--resource-type", "topics", token=False)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("--resource-type 'topics' is not one of TOPIC, GROUP, CLUSTER, TRANSACTIONAL_ID", r.stderr)
        r = skiffctl(n2, "acls", "add", "--principal", "User:alice", "--operation", "READ")
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("acls add needs a resource", r.stderr)
        self.expect_everywhere([ALICE_GROUP])
        # Every node's log names each change.
        for n in self.cluster.nodes:
            self.assertIn("ACLs: added TOPIC:LITERAL:ctl-orders User:alice from * ALLOW WRITE", n.log(), n.node_id)
            self.assertIn("ACLs: removed TOPIC:LITERAL:ctl-orders User:alice from * ALLOW WRITE", n.log(), n.node_id)


class AclsCtlWithoutAuthorizerTest(unittest.TestCase):
    def test_the_admin_socket_manages_acls_without_the_authorizer(self):
        node = SkiffNode(extra_args=["--admin-token", TOKEN]).start()
        try:
            r = skiffctl(node, "acls", "add", "--principal", "User:*", "--operation", "DESCRIBE", "--cluster", "--deny",
                         "--host", "10.0.0.9")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertEqual(listed(node), [("CLUSTER", "LITERAL", "kafka-cluster", "User:*", "10.0.0.9", "DENY", "DESCRIBE")])
            self.assertEqual(listed(node, "--deny", "--host", "10.0.0.9"), listed(node))
            ok(skiffctl(node, "acls", "remove", "--cluster", "--deny"))
            self.assertEqual(listed(node), [])
        finally:
            node.close()


if __name__ == "__main__":
    unittest.main()
