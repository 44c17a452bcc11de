"""SASL on Kafka listeners (issue #18): SCRAM-SHA-256/512 and PLAIN over SASL_PLAINTEXT and
SASL_SSL with clients written by others (kcat and confluent-kafka on librdkafka, kafka-python
with its version 0 handshake and bare tokens), users kept through Raft and managed with
skiffctl, and every refusal: wrong password, unknown user, a mechanism not enabled, a request
before authenticating, a plaintext client on a SASL port."""
import os
import socket
import struct
import subprocess
import time
import unittest

import kafka_wire as kw
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from harness import SkiffCluster, SkiffNode, closed_by_peer, kcat, metric, poll, poll_values
from tls_certs import Certificates

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
PASSWORD = "alice-secret"
INVALID = "Authentication failed during authentication due to invalid credentials with SASL mechanism %s"


def skiffctl(node, *args, input=None):
    return subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port] + list(args),
                          input=input, capture_output=True, text=True, timeout=60)


class SaslNodeTest(unittest.TestCase):
    """One node: PLAINTEXT (inter-broker), SASL_PLAINTEXT and SASL_SSL, every mechanism enabled,
    and user alice set through skiffctl (both SCRAM mechanisms)."""

    @classmethod
    def setUpClass(cls):
        cls.certs = Certificates()
        cls.node = SkiffNode(extra_args=cls.certs.node_args() + [
            "--sasl-enabled-mechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512"],
            listeners=[("SASL", "SASL_PLAINTEXT"), ("SECURE", "SASL_SSL")]).start()
        r = skiffctl(cls.node, "users", "set", "alice", input=PASSWORD + "\n")
        if r.returncode != 0:
            cls.node.close()
            cls.certs.close()
            raise AssertionError("skiffctl users set alice failed: " + r.stdout + r.stderr)

    @classmethod
    def tearDownClass(cls):
        cls.node.close()
        cls.certs.close()

    def address(self, listener):
        return "127.0.0.1:%d" % self.node.listener_ports[listener]

    def conf(self, listener, mechanism, user="alice", password=PASSWORD):
        c = {"bootstrap.servers": self.address(listener), "sasl.mechanisms": mechanism,
             "sasl.username": user, "sasl.password": password,
             "security.protocol": "SASL_SSL" if listener == "SECURE" else "SASL_PLAINTEXT"}
        if listener == "SECURE":
            c["ssl.ca.location"] = self.certs.ca
        return c

    def kcat_args(self, listener, mechanism, user="alice", password=PASSWORD):
        return [x for k, v in self.conf(listener, mechanism, user, password).items() if k != "bootstrap.servers"
                for x in ("-X", "%s=%s" % (k, v))] + ["-b", self.address(listener)]


class SaslClientsTest(SaslNodeTest):
    def test_kcat_scram_sha_512_over_sasl_ssl_produces_and_consumes(self):
        args = self.kcat_args("SECURE", "SCRAM-SHA-512")
        r = kcat(*args, "-P", "-t", "sasl-kcat", input=b"\n".join(b"s%d" % i for i in range(20)) + b"\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = kcat(*args, "-C", "-t", "sasl-kcat", "-o", "beginning", "-e", "-c", "20")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.split(), [b"s%d" % i for i in range(20)])

    def test_confluent_kafka_scram_sha_256_admin_and_group_over_sasl_plaintext(self):
        conf = self.conf("SASL", "SCRAM-SHA-256")
        admin = AdminClient(conf)   # kept: a client destroyed before the answer fails its futures
        admin.create_topics([NewTopic("sasl-group", 2, 1)])["sasl-group"].result(30)
        p = Producer(conf)
        for i in range(100):
            p.produce("sasl-group", value=b"g%d" % i)
        self.assertEqual(p.flush(30), 0)
        c = Consumer(dict(conf, **{"group.id": "sasl-group", "auto.offset.reset": "earliest"}))
        c.subscribe(["sasl-group"])
        got = poll_values(c, 100)
        c.commit(asynchronous=False)
        c.close()
        self.assertEqual(sorted(got), sorted(b"g%d" % i for i in range(100)))

    def test_kafka_python_plain_and_scram_with_bare_tokens(self):
        from kafka import KafkaConsumer, KafkaProducer
        for mechanism in ("PLAIN", "SCRAM-SHA-512"):
            conf = {"bootstrap_servers": self.address("SECURE"), "security_protocol": "SASL_SSL",
                    "ssl_cafile": self.certs.ca, "sasl_mechanism": mechanism,
                    "sasl_plain_username": "alice", "sasl_plain_password": PASSWORD}
            topic = "sasl-kafka-python-" + mechanism.lower()
            p = KafkaProducer(**conf)
            for i in range(30):
                p.send(topic, b"k%d" % i)
            p.flush(30)
            p.close()
            c = KafkaConsumer(topic, auto_offset_reset="earliest", consumer_timeout_ms=10000, **conf)
            got = [m.value for m in c]
            c.close()
            self.assertEqual(got, [b"k%d" % i for i in range(30)], mechanism)


class SaslRefusalsTest(SaslNodeTest):
    def test_a_wrong_password_and_an_unknown_user_fail_alike_and_are_counted(self):
        failures = metric(self.node, "skiff_kafka_sasl_authentications_total", result="failure")
        for user, password in (("alice", "guess"), ("mallory", PASSWORD)):
            r = kcat(*self.kcat_args("SASL", "SCRAM-SHA-512", user, password), "-L", "-m", "10", timeout=60)
            self.assertNotEqual(r.returncode, 0, r.stdout)
            self.assertIn((INVALID % "SCRAM-SHA-512").encode(), r.stderr)
        self.assertIn(INVALID % "SCRAM-SHA-512", self.node.log())
        self.assertNotIn("guess", self.node.log())
        poll("two more failures counted", lambda: metric(self.node, "skiff_kafka_sasl_authentications_total", result="failure") >= failures + 2)

    def test_a_mechanism_not_enabled_is_answered_with_the_enabled_ones_and_closed(self):
        with socket.create_connection(("127.0.0.1", self.node.listener_ports["SASL"]), timeout=10) as s:
            s.sendall(kw.frame(17, 1, kw.string("GSSAPI")))   # SaslHandshake v1
            data = kw.read_frame(s)
            self.assertIsNotNone(data, "no answer to SaslHandshake")
            r = kw.response(data, False)
            self.assertEqual(r.take(">h"), 33)   # UNSUPPORTED_SASL_MECHANISM
            self.assertEqual(r.array(r.string), ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
            r.done()
            self.assertIsNotNone(closed_by_peer(s))
        poll("the refusal in the log", lambda: "SASL mechanism 'GSSAPI' is not enabled on this listener" in self.node.log())

    def test_a_request_before_authenticating_closes_the_connection(self):
        with socket.create_connection(("127.0.0.1", self.node.listener_ports["SASL"]), timeout=10) as s:
            s.sendall(kw.frame(3, 1, kw.array(None, None)))   # Metadata v1, every topic
            self.assertIsNotNone(closed_by_peer(s), "a Metadata request before SASL was served")
        poll("the reason in the log", lambda: "Metadata before SASL authentication" in self.node.log())

    def test_a_plaintext_client_on_a_sasl_port_is_served_nothing(self):
        r = kcat("-b", self.address("SASL"), "-L", "-m", "5", timeout=60)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertNotIn(b"sasl-", r.stdout)

    def test_sasl_on_a_plaintext_listener_is_illegal_sasl_state(self):
        with socket.create_connection(("127.0.0.1", self.node.kafka_port), timeout=10) as s:
            s.sendall(kw.frame(17, 1, kw.string("PLAIN")))
            data = kw.read_frame(s)
            self.assertIsNotNone(data, "no answer to SaslHandshake")
            self.assertEqual(kw.response(data, False).take(">h"), 34)   # ILLEGAL_SASL_STATE

    def test_a_deleted_user_can_no_longer_authenticate(self):
        r = skiffctl(self.node, "users", "set", "bob", "--mechanism", "SCRAM-SHA-512", input="bob-secret\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        args = self.kcat_args("SASL", "SCRAM-SHA-512", "bob", "bob-secret")
        self.assertEqual(kcat(*args, "-L", "-m", "10").returncode, 0)
        r = skiffctl(self.node, "users", "delete", "bob")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = kcat(*args, "-L", "-m", "10", timeout=60)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertIn((INVALID % "SCRAM-SHA-512").encode(), r.stderr)


class SaslClusterTest(unittest.TestCase):
    """A user set on one node authenticates on every node: credentials go through Raft."""

    def test_a_user_set_on_node_1_authenticates_on_node_3(self):
        with SkiffCluster.started(3, extra_args=["--sasl-enabled-mechanisms", "SCRAM-SHA-512"],
                                  listeners=[("SASL", "SASL_PLAINTEXT")]) as cluster:
            r = skiffctl(cluster.node(1), "users", "set", "carol", "--mechanism", "SCRAM-SHA-512", input="carol-secret\n")
            self.assertEqual(r.returncode, 0, r.stderr)
            n3 = cluster.node(3)
            args = ["-X", "security.protocol=SASL_PLAINTEXT", "-X", "sasl.mechanisms=SCRAM-SHA-512",
                    "-X", "sasl.username=carol", "-X", "sasl.password=carol-secret",
                    "-b", "127.0.0.1:%d" % n3.listener_ports["SASL"]]
            poll("carol authenticates on node 3", lambda: kcat(*args, "-L", "-m", "10").returncode == 0)


class ReauthenticationTest(unittest.TestCase):
    """KIP-368 on the wire (the clients in Debian do not re-authenticate; Kafka's Java client does):
    SaslAuthenticate v1 answers carry connections.max.reauth.ms as the session lifetime; the same
    user re-authenticates on the same connection and goes on; another user is refused and the
    connection closed; a request after the session expired closes the connection."""

    LIFETIME_MS = 1500

    @classmethod
    def setUpClass(cls):
        cls.node = SkiffNode(extra_args=["--sasl-enabled-mechanisms", "PLAIN",
                                         "--connections-max-reauth-ms", str(cls.LIFETIME_MS)],
                             listeners=[("SASL", "SASL_PLAINTEXT")]).start()
        for user in ("alice", "bob"):
            r = skiffctl(cls.node, "users", "set", user, "--mechanism", "SCRAM-SHA-512", input=user + "-secret\n")
            if r.returncode != 0:
                cls.node.close()
                raise AssertionError("skiffctl users set %s failed: %s%s" % (user, r.stdout, r.stderr))

    @classmethod
    def tearDownClass(cls):
        cls.node.close()

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.node.listener_ports["SASL"]), timeout=10)
        self.addCleanup(s.close)
        return s

    def authenticate(self, s, user):
        """(error code, error message, session lifetime ms) of PLAIN over SaslHandshake v1 and SaslAuthenticate v1."""
        s.sendall(kw.frame(17, 1, kw.string("PLAIN")))   # SaslHandshake v1
        r = kw.response(kw.read_frame(s), False)
        self.assertEqual(r.take(">h"), 0)
        token = b"\0" + user.encode() + b"\0" + (user + "-secret").encode()
        s.sendall(kw.frame(36, 1, struct.pack(">i", len(token)) + token))   # SaslAuthenticate v1
        data = kw.read_frame(s)
        self.assertIsNotNone(data, "connection closed during SaslAuthenticate")
        r = kw.response(data, False)
        error, message = r.take(">h"), r.string()
        r.pos += 4 + max(0, r.take(">i"))   # auth_bytes
        return error, message, r.take(">q")

    def metadata_answered(self, s):
        s.sendall(kw.frame(3, 1, kw.array(None, None)))   # Metadata v1, every topic
        return kw.read_frame(s) is not None

    def test_the_same_user_reauthenticates_and_goes_on(self):
        s = self.connect()
        self.assertEqual(self.authenticate(s, "alice"), (0, None, self.LIFETIME_MS))
        self.assertTrue(self.metadata_answered(s))
        time.sleep(self.LIFETIME_MS / 2000)
        self.assertEqual(self.authenticate(s, "alice"), (0, None, self.LIFETIME_MS))
        time.sleep(self.LIFETIME_MS / 2000 + 0.3)   # past the first session's end, within the second
        self.assertTrue(self.metadata_answered(s))

    def test_another_user_is_refused_and_closed(self):
        s = self.connect()
        self.assertEqual(self.authenticate(s, "alice")[0], 0)
        error, message, _ = self.authenticate(s, "bob")
        self.assertEqual(error, 58)   # SASL_AUTHENTICATION_FAILED
        self.assertEqual(message, "Cannot change principals during re-authentication from User:alice to User:bob")
        self.assertIsNotNone(closed_by_peer(s, 10))

    def test_a_request_after_the_session_expired_closes_the_connection(self):
        s = self.connect()
        self.assertEqual(self.authenticate(s, "alice")[0], 0)
        time.sleep(self.LIFETIME_MS / 1000 + 0.3)
        self.assertFalse(self.metadata_answered(s))
        poll("the expiry logged", lambda: "the SASL session of User:alice expired (connections.max.reauth.ms = %d)"
             % self.LIFETIME_MS in self.node.log())


if __name__ == "__main__":
    unittest.main()
