"""ACLs and the authorizer (#18) with clients no one here wrote: kafka-python's admin client
creates, describes and deletes ACLs through one node of three (so they go through Raft and every
node enforces them), and the allow/deny matrix is driven with confluent-kafka (librdkafka) and
kafka-python over SASL_PLAINTEXT with SCRAM users: produce, fetch, group join and commit, topic
create and describe, each allowed and denied with Kafka's error code; a DENY beats an ALLOW; a
non-super user may not change ACLs; denials are counted in /metrics and logged once; ACLs
survive a restart. A single node shows User:ANONYMOUS on a PLAINTEXT listener denied, and a node
without authorizer.enable answering the ACL APIs with SECURITY_DISABLED, as Kafka does.
Kafka's own kafka-acls: tests/interop/test_kafka_tools.py."""
import os
import struct
import subprocess
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kafka_wire as kw  # noqa: E402
from confluent_kafka import Consumer, KafkaError, Producer, TopicPartition
from harness import SkiffCluster, SkiffNode, http_get, metric_sum, poll
from kafka.admin import (ACL, ACLFilter, ACLOperation, ACLPermissionType, ACLResourcePatternType, KafkaAdminClient,
                         NewTopic, ResourcePattern, ResourcePatternFilter, ResourceType)
from kafka.errors import (ClusterAuthorizationFailedError, SecurityDisabledError, TopicAuthorizationFailedError)

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
MECHANISM = "SCRAM-SHA-256"
PASSWORDS = {"admin": "admin-Secret-1", "alice": "alice-Secret-2", "bob": "bob-Secret-3"}


def set_user(node, user):
    r = subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "users", "set", user],
                       input=PASSWORDS[user] + "\n", capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise AssertionError("skiffctl users set %s failed: %s%s" % (user, r.stdout, r.stderr))


def acl(principal, operation, resource_type, name, pattern=ACLResourcePatternType.LITERAL,
        permission=ACLPermissionType.ALLOW):
    return ACL(principal=principal, host="*", operation=operation, permission_type=permission,
               resource_pattern=ResourcePattern(resource_type, name, pattern))


def every_acl():
    return ACLFilter(principal=None, host=None, operation=ACLOperation.ANY, permission_type=ACLPermissionType.ANY,
                     resource_pattern=ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY))


class AclClusterTest(unittest.TestCase):
    """Three nodes; clients on SASL_PLAINTEXT. Followers fetch over the PLAINTEXT inter-broker
    listener as User:ANONYMOUS, which super.users names (Kafka's rule for a plaintext
    inter-broker listener); admin is the ACL administrator."""

    @classmethod
    def setUpClass(cls):
        cls.cluster = SkiffCluster.started(3, extra_args=[
            "--sasl-enabled-mechanisms", MECHANISM, "--authorizer-enable", "true",
            "--super-users", "User:admin; User:ANONYMOUS", "--default-replication-factor", "3",
            "--min-insync-replicas", "2"], listeners=[("SASL", "SASL_PLAINTEXT")])
        try:
            for user in PASSWORDS:
                set_user(cls.cluster.node(1), user)
            cls.admin = KafkaAdminClient(**cls.kafka_python("admin", 1))
            cls.admin.create_topics([NewTopic(t, 2, 3) for t in ("orders", "payments", "mix-secret", "shared")])
            cls.granted = [
                acl("User:alice", ACLOperation.WRITE, ResourceType.TOPIC, "orders"),
                acl("User:alice", ACLOperation.READ, ResourceType.TOPIC, "orders"),
                acl("User:alice", ACLOperation.READ, ResourceType.GROUP, "app-", ACLResourcePatternType.PREFIXED),
                acl("User:alice", ACLOperation.CREATE, ResourceType.TOPIC, "alice-", ACLResourcePatternType.PREFIXED),
                acl("User:alice", ACLOperation.DESCRIBE, ResourceType.TOPIC, "shared"),
                acl("User:alice", ACLOperation.ALL, ResourceType.TOPIC, "mix-", ACLResourcePatternType.PREFIXED),
                acl("User:alice", ACLOperation.READ, ResourceType.TOPIC, "mix-secret",
                    permission=ACLPermissionType.DENY),
            ]
            result = cls.admin.create_acls(cls.granted)
            if result["failed"]:
                raise AssertionError("create_acls failed: %r" % result["failed"])
        except BaseException:
            cls.cluster.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.admin.close()
        cls.cluster.close()

    @classmethod
    def kafka_python(cls, user, node_id):
        return {"bootstrap_servers": "127.0.0.1:%d" % cls.cluster.node(node_id).listener_ports["SASL"],
                "security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": MECHANISM,
                "sasl_plain_username": user, "sasl_plain_password": PASSWORDS[user]}

    def librdkafka(self, user, node_id=1, **extra):
        conf = {"bootstrap.servers": "127.0.0.1:%d" % self.cluster.node(node_id).listener_ports["SASL"],
                "security.protocol": "SASL_PLAINTEXT", "sasl.mechanisms": MECHANISM,
                "sasl.username": user, "sasl.password": PASSWORDS[user]}
        conf.update(extra)
        return conf

    def produce(self, user, topic, node_id=1, count=5):
        """The delivery error codes of `count` messages (None for each delivered)."""
        errors = []
        p = Producer(self.librdkafka(user, node_id, **{"message.timeout.ms": 15000, "acks": "all"}))
        for i in range(count):
            p.produce(topic, value=b"%s-%d" % (user.encode(), i),
                      on_delivery=lambda err, msg: errors.append(err.code() if err else None))
        p.flush(30)
        return errors

    def consume(self, user, topic, group, count, node_id=1, timeout=30):
        """(values received, error codes seen) of a group consumer reading `topic` from the start."""
        c = Consumer(self.librdkafka(user, node_id, **{"group.id": group, "auto.offset.reset": "earliest",
                                                        "enable.auto.commit": False}))
        c.subscribe([topic])
        values, errors = [], set()
        deadline = time.monotonic() + timeout
        while len(values) < count and time.monotonic() < deadline and not errors:
            m = c.poll(0.5)
            if m is None:
                continue
            if m.error():
                errors.add(m.error().code())
            else:
                values.append(m.value())
        if values:
            c.commit(asynchronous=False)
        c.close()
        return values, errors

    def test_produce_allowed_and_denied(self):
        self.assertEqual(self.produce("alice", "orders"), [None] * 5)
        self.assertEqual(self.produce("bob", "orders"), [KafkaError.TOPIC_AUTHORIZATION_FAILED] * 5)
        self.assertEqual(self.produce("alice", "payments"), [KafkaError.TOPIC_AUTHORIZATION_FAILED] * 5)
        # DESCRIBE only: Metadata answers, the Produce itself is refused. One message: after that
        # answer librdkafka drops the topic's partitions, and messages queued for the others end
        # in whatever state its shutdown leaves them.
        self.assertEqual(self.produce("alice", "shared", count=1), [KafkaError.TOPIC_AUTHORIZATION_FAILED])
        # ALL on the "mix-" prefix includes WRITE; the DENY is of READ only.
        self.assertEqual(self.produce("alice", "mix-secret"), [None] * 5)

    def test_fetch_group_join_and_commit(self):
        self.assertEqual(self.produce("admin", "orders", count=10), [None] * 10)
        values, errors = self.consume("alice", "orders", "app-readers", 10)
        self.assertEqual(errors, set())
        self.assertGreaterEqual(len(values), 10)
        committed = Consumer(self.librdkafka("alice", **{"group.id": "app-readers"})).committed(
            [TopicPartition("orders", 0), TopicPartition("orders", 1)], timeout=15)
        self.assertEqual(sum(tp.offset for tp in committed if tp.offset > 0), len(values))
        # A group alice may not read, a user with no ACL at all, a topic denied by DENY.
        _, errors = self.consume("alice", "orders", "other-group", 1, timeout=15)
        self.assertIn(KafkaError.GROUP_AUTHORIZATION_FAILED, errors)
        _, errors = self.consume("bob", "orders", "app-bob", 1, timeout=15)
        self.assertTrue(errors & {KafkaError.GROUP_AUTHORIZATION_FAILED, KafkaError.TOPIC_AUTHORIZATION_FAILED}, errors)
        # DESCRIBE only: the group is joined, the Fetch is refused.
        self.assertEqual(self.produce("admin", "shared", count=1), [None])
        values, errors = self.consume("alice", "shared", "app-shared", 1, timeout=15)
        self.assertEqual(values, [])
        self.assertIn(KafkaError.TOPIC_AUTHORIZATION_FAILED, errors)
        self.assertEqual(self.produce("admin", "mix-secret", count=1), [None])
        values, errors = self.consume("alice", "mix-secret", "app-secret", 1, timeout=15)
        self.assertEqual(values, [])
        self.assertIn(KafkaError.TOPIC_AUTHORIZATION_FAILED, errors)

    def test_topic_create_and_describe(self):
        alice = KafkaAdminClient(**self.kafka_python("alice", 2))
        try:
            alice.create_topics([NewTopic("alice-new", 1, 3)])
            with self.assertRaises(TopicAuthorizationFailedError):
                alice.create_topics([NewTopic("bob-new", 1, 3)])
            poll("alice-new created", lambda: "alice-new" in self.admin.list_topics())
            # Metadata of every topic lists only what alice may describe (READ/WRITE/ALL imply it):
            # CREATE does not, so not the topic she just made (as in Kafka).
            self.assertEqual(sorted(t for t in alice.list_topics() if not t.startswith("__")),
                             ["mix-secret", "orders", "shared"])
            described = {t["topic"]: t["error_code"] for t in alice.describe_topics(["shared", "payments"])}
            self.assertEqual(described, {"shared": 0, "payments": TopicAuthorizationFailedError.errno})
        finally:
            alice.close()
        bob = KafkaAdminClient(**self.kafka_python("bob", 3))
        try:
            self.assertEqual([t for t in bob.list_topics() if not t.startswith("__")], [])
        finally:
            bob.close()

    def test_acl_admin_through_raft_and_denials_counted(self):
        # Every node holds what node 1 stored: describe through node 3.
        admin3 = KafkaAdminClient(**self.kafka_python("admin", 3))
        try:
            acls, error = poll("ACLs described by node 3", lambda: (lambda r: r if len(r[0]) >= len(self.granted) else None)(
                admin3.describe_acls(every_acl())))
            self.assertEqual(error.errno, 0)
            described = {(a.principal, a.operation, a.permission_type, a.resource_pattern.resource_type,
                          a.resource_pattern.resource_name, a.resource_pattern.pattern_type) for a in acls}
            for a in self.granted:
                self.assertIn((a.principal, a.operation, a.permission_type, a.resource_pattern.resource_type,
                               a.resource_pattern.resource_name, a.resource_pattern.pattern_type), described)
        finally:
            admin3.close()
        # alice may not change ACLs.
        alice = KafkaAdminClient(**self.kafka_python("alice", 1))
        try:
            result = alice.create_acls([acl("User:alice", ACLOperation.ALL, ResourceType.TOPIC, "*")])
            self.assertEqual(len(result["failed"]), 1)
            self.assertIs(result["failed"][0][1], ClusterAuthorizationFailedError)
        finally:
            alice.close()
        # A grant given and taken away: bob writes "shared", then no longer.
        grant = acl("User:bob", ACLOperation.WRITE, ResourceType.TOPIC, "shared")
        self.assertEqual(self.admin.create_acls([grant])["failed"], [])
        poll("bob may write shared through node 2", lambda: self.produce("bob", "shared", node_id=2, count=1) == [None])
        # Without WRITE, bob may not even describe "shared": his producer's Metadata is refused
        # (WRITE implies DESCRIBE). Count and look on every node: any may have answered.
        def write_denials():
            return metric_sum(self.cluster.nodes, "skiff_kafka_authorization_denials_total",
                              resource_type="TOPIC", operation="DESCRIBE")
        denied_before = write_denials()
        deleted = self.admin.delete_acls([ACLFilter(principal="User:bob", host="*", operation=ACLOperation.WRITE,
                                                    permission_type=ACLPermissionType.ALLOW,
                                                    resource_pattern=ResourcePatternFilter(
                                                        ResourceType.TOPIC, "shared", ACLResourcePatternType.LITERAL))])
        self.assertEqual(len(deleted[0][1]), 1, deleted)
        poll("bob denied on shared through node 2", lambda: self.produce("bob", "shared", node_id=2, count=1)
             == [KafkaError.TOPIC_AUTHORIZATION_FAILED])
        self.assertGreater(write_denials(), denied_before)
        log = "".join(n.log() for n in self.cluster.nodes)
        self.assertIn("authorization denied: principal User:bob from 127.0.0.1 may not DESCRIBE TOPIC 'shared' (Metadata;", log)
        self.assertIn("ACLs: added TOPIC:LITERAL:shared User:bob from * ALLOW WRITE", log)

    def test_zz_acls_survive_a_restart(self):
        node = self.cluster.node(2)
        node.stop()
        node.start()
        self.cluster.wait_all_ready()
        poll("alice writes orders through the restarted node",
             lambda: self.produce("alice", "orders", node_id=2, count=1) == [None])
        self.assertEqual(self.produce("bob", "orders", node_id=2, count=1), [KafkaError.TOPIC_AUTHORIZATION_FAILED])


def authorized_operations(node, topic):
    """(topic_authorized_operations of `topic`, cluster_authorized_operations) from Metadata v8 over
    PLAINTEXT (both asked for)."""
    body = kw.array([topic], kw.string) + b"\x00\x01\x01"   # no auto-creation; cluster and topic operations
    r = kw.call(node, 3, 8, False, body)
    r.take(">i")
    r.array(lambda: (r.take(">i"), r.string(), r.take(">i"), r.string()))
    r.string()
    r.take(">i")
    topics = r.array(lambda: (r.take(">h"), r.string(), r.take(">?"), r.array(lambda: (
        r.take(">h"), r.take(">i"), r.take(">i"), r.take(">i"), r.array(lambda: r.take(">i")),
        r.array(lambda: r.take(">i")), r.array(lambda: r.take(">i")))), r.take(">i")))
    cluster = r.take(">i")
    r.done()
    (error, _, _, _, operations), = topics
    return error, operations, cluster


def bits(*operations):
    return sum(1 << op for op in operations)


class AnonymousAndDisabledTest(unittest.TestCase):
    def test_authorized_operations_in_metadata(self):
        """include_*_authorized_operations (Metadata v8): Kafka's bit fields of what the principal may
        do; without the authorizer every operation of the resource type."""
        READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, CLUSTER_ACTION = 3, 4, 5, 6, 7, 8, 9
        DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE = 10, 11, 12
        node = SkiffNode(extra_args=["--authorizer-enable", "true", "--super-users", "User:admin"]).start()
        try:
            ctl = [SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port]
            for args in (["create-topic", "ops", "--partitions", "1"],
                         ["acls", "add", "--principal", "User:ANONYMOUS", "--operation", "READ", "--topic", "ops"],
                         ["acls", "add", "--principal", "User:ANONYMOUS", "--operation", "IDEMPOTENT_WRITE", "--cluster"]):
                r = subprocess.run(ctl + args, capture_output=True, text=True, timeout=60)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            # READ implies DESCRIBE.
            self.assertEqual(poll("ops described to ANONYMOUS", lambda: (lambda e: e if e[0] == 0 else None)(
                authorized_operations(node, "ops"))), (0, bits(READ, DESCRIBE), bits(IDEMPOTENT_WRITE)))
        finally:
            node.close()
        node = SkiffNode().start()
        try:
            subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "create-topic", "ops", "--partitions", "1"],
                           capture_output=True, timeout=60, check=True)
            self.assertEqual(authorized_operations(node, "ops"), (
                0, bits(READ, WRITE, CREATE, DESCRIBE, DELETE, ALTER, DESCRIBE_CONFIGS, ALTER_CONFIGS),
                bits(CREATE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE, ALTER, DESCRIBE)))
        finally:
            node.close()

    def test_anonymous_plaintext_client_is_denied_without_acls(self):
        node = SkiffNode(extra_args=["--authorizer-enable", "true", "--super-users", "User:admin"]).start()
        try:
            admin = KafkaAdminClient(bootstrap_servers=node.bootstrap)
            try:
                with self.assertRaises(TopicAuthorizationFailedError):
                    admin.create_topics([NewTopic("anon", 1, 1)])
                self.assertEqual([t for t in admin.list_topics() if not t.startswith("__")], [])
                result = admin.create_acls([acl("User:ANONYMOUS", ACLOperation.ALL, ResourceType.TOPIC, "*")])
                self.assertIs(result["failed"][0][1], ClusterAuthorizationFailedError)
            finally:
                admin.close()
            p = Producer({"bootstrap.servers": node.bootstrap, "message.timeout.ms": 10000})
            errors = []
            p.produce("anon-" + uuid.uuid4().hex[:6], value=b"x", on_delivery=lambda err, msg: errors.append(err))
            p.flush(20)
            self.assertEqual(len(errors), 1)
            self.assertIsNotNone(errors[0])
            self.assertIn(errors[0].code(), (KafkaError.TOPIC_AUTHORIZATION_FAILED, KafkaError._MSG_TIMED_OUT), errors[0])
            self.assertIn("authorization denied: principal User:ANONYMOUS", node.log())
        finally:
            node.close()

    def test_acl_apis_without_authorizer_are_security_disabled(self):
        node = SkiffNode().start()
        try:
            admin = KafkaAdminClient(bootstrap_servers=node.bootstrap)
            try:
                result = admin.create_acls([acl("User:alice", ACLOperation.READ, ResourceType.TOPIC, "orders")])
                self.assertIs(result["failed"][0][1], SecurityDisabledError)
                with self.assertRaises(SecurityDisabledError):
                    admin.describe_acls(every_acl())
            finally:
                admin.close()
            self.assertEqual(http_get(node.http_port, "/ready")[0], 200)
        finally:
            node.close()


if __name__ == "__main__":
    unittest.main()
