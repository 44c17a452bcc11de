"""The reference Java client (Apache kafka-clients 4.4, tests/interop/java) against real skiffd.

The scenarios run in a JVM (java/src/main/java/skiff/interop): produce (idempotent, acks=all,
every codec, headers, a large batch), consume (a classic-protocol group reading back exactly what
produce wrote, range and cooperative-sticky splits, static membership across a restart, seek,
offsetsForTimes, pause/resume, commitSync/committed) and admin (the AdminClient calls Skiff
implements; the ones it does not yet are tried and their outcome printed). Each prints one JSON
line of steps; every step must pass. On one node, on three nodes at replication factor 3 with
min.insync.replicas 2 (produce and consume), and through a SASL_SSL listener with SCRAM-SHA-512 and
an SSL listener requiring client certificates (issue #18; produce and consume, the client's
settings from $SKIFF_INTEROP_CLIENT_PROPERTIES).

The jar is built by build-java.sh (java 17+ and mvn, jars from Maven Central into ~/.m2): without
them every test FAILS, saying what is missing. SKIFF_INTEROP_JAVA_OPTS adds JVM options, e.g.
-Dorg.slf4j.simpleLogger.defaultLogLevel=info for the client's own log (on stderr, shown when a
scenario fails).
"""
import json
import os
import shlex
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from harness import SkiffCluster, SkiffNode, metric  # noqa: E402
from runner import ScenarioRun, build_once  # noqa: E402
from tls_certs import Certificates  # noqa: E402

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(HERE, "../../build/bin/skiffctl"))

CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]
PARTITIONS, COUNT, LARGE_COUNT = 4, 400, 500
UNIMPLEMENTED = []   # AdminClient calls Skiff does not serve yet: their outcome is printed, not checked


def build_jar():
    return build_once("build-java.sh", "mvn package failed")


class Scenario(ScenarioRun):
    """One run of a scenario in a JVM (SKIFF_INTEROP_JAVA_OPTS adds JVM options)."""

    def __init__(self, jar, name, bootstrap, client_properties=None, **options):
        env = dict(os.environ, SKIFF_INTEROP_CLIENT_PROPERTIES=client_properties) if client_properties else None
        super().__init__(["java"] + shlex.split(os.environ.get("SKIFF_INTEROP_JAVA_OPTS", "")) +
                         ["-jar", jar, name, bootstrap], name, env=env, **options)
        self.name = name


class JavaClientTests:
    """The assertions; the subclasses say against what (a node, a cluster)."""
    prefix = "interop"
    options = {}
    _produced = None

    @classmethod
    def start_skiff(cls):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.jar, cls.build_error = build_jar()
        cls.skiff = None
        cls.base_ts = int(time.time() * 1000) - 600_000   # ten minutes ago: every record's CreateTime
        if cls.jar:
            cls.skiff = cls.start_skiff()

    @classmethod
    def tearDownClass(cls):
        if cls.skiff:
            cls.skiff.close()

    def scenario(self, name, **extra):
        if self.build_error:
            self.fail(self.build_error)
        options = dict(prefix=self.prefix, partitions=PARTITIONS, count=COUNT, large_count=LARGE_COUNT,
                       base_ts=self.base_ts)
        options.update(self.options)
        options.update(extra)
        run = Scenario(self.jar, name, self.bootstrap(), client_properties=self.client_properties(), **options)
        if run.returncode != 0:
            for node in getattr(self.skiff, "nodes", [self.skiff]):
                print("--- skiffd node %d log tail\n%s" % (node.node_id, node.log()[-4000:]), flush=True)
        return run

    def produced(self):
        """The produce run (once per class: consume reads what it wrote)."""
        if type(self)._produced is None:
            type(self)._produced = self.scenario("produce")
        return type(self)._produced

    def client_properties(self):
        """A properties file every client of the scenarios takes (None: plaintext, no login)."""
        return None

    def assert_steps_ok(self, run, steps):
        self.assertIsNotNone(run.result, "no JSON line from " + run.why())
        for step in steps:
            with self.subTest(step=step):
                self.assertIn(step, run.steps, run.why())
                self.assertTrue(run.steps[step]["ok"], run.why(step))

    def assert_exit_ok(self, run):
        """A run whose steps all passed exits 0 (a failed step has failed its own subtest already)."""
        if run.result and run.result.get("ok"):
            self.assertEqual(run.returncode, 0, run.why())

    def test_produce(self):
        run = self.produced()
        self.assert_steps_ok(run, ["create_topics"] + ["codec_" + c for c in CODECS] + ["large_batch"])
        per_partition = {str(p): {"first": 0, "last": COUNT // PARTITIONS - 1, "count": COUNT // PARTITIONS}
                         for p in range(PARTITIONS)}
        for codec in CODECS:
            with self.subTest(codec=codec):
                step = run.steps.get("codec_" + codec, {})
                self.assertEqual(step.get("count"), COUNT, run.why("codec_" + codec))
                self.assertEqual(step.get("offsets"), per_partition, run.why("codec_" + codec))
        large = run.steps.get("large_batch", {})
        self.assertEqual(large.get("offsets"), {"0": {"first": 0, "last": LARGE_COUNT - 1, "count": LARGE_COUNT}},
                         run.why("large_batch"))
        self.assertGreater(large.get("records_per_request_avg") or 0, 10, "the large records were not batched")
        created = run.steps.get("create_topics", {})
        rf = self.options.get("replication_factor", 1)
        for topic, counts in created.get("replicas", {}).items():
            self.assertEqual(counts, [rf] * len(counts), "replicas per partition of " + topic)
        if "min_insync" in self.options:
            self.assertEqual(created.get("min_insync_replicas"), str(self.options["min_insync"]))
        self.assert_exit_ok(run)
        print("probes (not asked of Skiff yet): %s" % json.dumps(run.steps.get("probes")), flush=True)

    def test_consume(self):
        produced = self.produced()
        self.assertEqual(produced.returncode, 0, "produce failed, so consume has nothing to read: " + produced.why())
        run = self.scenario("consume")
        # close_is_prompt: a Fetch naming no partitions (the consumer's fetch-session close,
        # KIP-227) is answered at once, not held for its max_wait_ms.
        self.assert_steps_ok(run, ["read_back", "range_split", "cooperative_sticky_split", "static_membership",
                                   "seek", "offsets_for_times", "pause_resume", "commit_committed",
                                   "close_is_prompt"])
        read_back = run.steps.get("read_back", {})
        self.assertEqual(read_back.get("records"), COUNT * len(CODECS) + LARGE_COUNT, run.why("read_back"))
        self.assertEqual(read_back.get("per_topic"),
                         dict({"%s-%s" % (self.prefix, c): COUNT for c in CODECS},
                              **{self.prefix + "-large": LARGE_COUNT}), run.why("read_back"))
        self.assertEqual(read_back.get("mismatches"), [], run.why("read_back"))
        self.assertEqual(read_back.get("duplicates"), 0, run.why("read_back"))
        for step in ["range_split", "cooperative_sticky_split"]:
            split = run.steps.get(step, {})
            with self.subTest(step=step):
                self.assertEqual(sorted(split.get("a_assignment", []) + split.get("b_assignment", [])),
                                 list(range(PARTITIONS)), run.why(step))
                self.assertEqual(split.get("records"), COUNT, run.why(step))
        static = run.steps.get("static_membership", {})
        before, after = static.get("before", {}), static.get("after", {})
        self.assertEqual((after.get("a"), after.get("b")), (before.get("a"), before.get("b")), run.why("static_membership"))
        self.assertEqual(after.get("b_assign_callbacks_since"), 0, run.why("static_membership"))
        self.assertEqual(after.get("b_generation"), before.get("generation"), run.why("static_membership"))
        self.assertEqual(run.steps.get("commit_committed", {}).get("resumed_at"), 5, run.why("commit_committed"))
        self.assert_exit_ok(run)
        print("probes (not asked of Skiff yet): %s" % json.dumps(run.steps.get("probes")), flush=True)


class SingleNodeTest(JavaClientTests, unittest.TestCase):
    prefix = "java1"

    @classmethod
    def start_skiff(cls):
        return SkiffNode().start()

    def bootstrap(self):
        return self.skiff.bootstrap

    def test_admin(self):
        run = self.scenario("admin")
        self.assert_steps_ok(run, [
            "describe_cluster", "describe_metadata_quorum", "create_topics", "create_topics_validate_only", "list_topics", "describe_topics",
            "describe_configs", "incremental_alter_configs", "list_offsets", "create_partitions",
            "group_member_commits", "describe_consumer_groups_active", "list_consumer_groups",
            "describe_consumer_groups", "list_consumer_group_offsets", "alter_consumer_group_offsets",
            "delete_consumer_group_offsets", "delete_consumer_groups", "delete_topics",
            "describe_log_dirs", "describe_producers", "delete_records"])
        self.assertEqual(run.steps.get("list_offsets", {}).get("partition0", {}).get("latest"), 10, run.why("list_offsets"))
        self.assertEqual(run.steps.get("create_partitions", {}).get("partitions"), 5, run.why("create_partitions"))
        deleted = run.steps.get("delete_records", {})
        self.assertEqual((deleted.get("low_watermark"), deleted.get("earliest")), (2, 2), run.why("delete_records"))
        unimplemented = run.steps.get("unimplemented", {})
        self.assertEqual(sorted(unimplemented), sorted(UNIMPLEMENTED), run.why())
        for call in UNIMPLEMENTED:
            o = unimplemented[call]
            print("unimplemented %s: %s" % (call, "works: %s" % o.get("result") if o.get("ok")
                                            else "%s: %s" % (o.get("exception"), o.get("message"))), flush=True)
        print("other probes: %s" % json.dumps(run.steps.get("other_probes")), flush=True)
        self.assert_exit_ok(run)


class ThreeNodeTest(JavaClientTests, unittest.TestCase):
    """Replication factor 3, min.insync.replicas 2: acks=all waits for the followers."""
    prefix = "java3"
    options = {"replication_factor": 3, "min_insync": 2}

    @classmethod
    def start_skiff(cls):
        return SkiffCluster.started(3)

    def bootstrap(self):
        return ",".join(n.bootstrap for n in self.skiff.nodes)


class SecuredNodeTests(JavaClientTests):
    """One node with a TLS listener the clients must use, and the client settings to reach it."""
    LISTENER, PROTOCOL, CLIENT_AUTH, NODE_ARGS = None, None, "none", []

    @classmethod
    def start_skiff(cls):
        # Class cleanups run even when setUpClass fails, which tearDownClass does not.
        cls.certs = Certificates()
        cls.addClassCleanup(cls.certs.close)
        node = SkiffNode(listeners=[(cls.LISTENER, cls.PROTOCOL)],
                         extra_args=cls.certs.node_args(cls.CLIENT_AUTH) + cls.NODE_ARGS)
        cls.addClassCleanup(node.close)
        node.start()
        cls.prepare(node)
        cls.properties_path = cls.certs.dir.file("client.properties")
        with open(cls.properties_path, "w") as f:
            f.write("ssl.truststore.type=PEM\nssl.truststore.location=%s\n" % cls.certs.ca + cls.settings())
        return node

    @classmethod
    def prepare(cls, node):
        pass

    def bootstrap(self):
        return "127.0.0.1:%d" % self.skiff.listener_ports[self.LISTENER]

    def client_properties(self):
        return self.properties_path


class SaslSslTest(SecuredNodeTests, unittest.TestCase):
    """SASL_SSL with SCRAM-SHA-512: every client logs in as a user made with skiffctl users set."""
    prefix = "javasasl"
    LISTENER, PROTOCOL, NODE_ARGS = "SECURE", "SASL_SSL", ["--sasl-enabled-mechanisms", "SCRAM-SHA-512"]
    USER, PASSWORD = "java-app", "java-Secret-9"

    @classmethod
    def prepare(cls, node):
        r = subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "users", "set", cls.USER,
                            "--mechanism", "SCRAM-SHA-512"], input=cls.PASSWORD + "\n", capture_output=True,
                           text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError("skiffctl users set failed: " + r.stdout + r.stderr)

    @classmethod
    def settings(cls):
        return ("security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n"
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required "
                "username=\"%s\" password=\"%s\";\n" % (cls.USER, cls.PASSWORD))

    def test_every_login_succeeded(self):
        self.assertEqual(self.produced().returncode, 0, self.produced().why())
        self.assertGreater(metric(self.skiff, "skiff_kafka_sasl_authentications_total", result="success"), 0)
        self.assertEqual(metric(self.skiff, "skiff_kafka_sasl_authentications_total", result="failure"), 0)


class MutualTlsTest(SecuredNodeTests, unittest.TestCase):
    """An SSL listener that requires a client certificate: every client presents one."""
    prefix = "javamtls"
    LISTENER, PROTOCOL, CLIENT_AUTH = "SSL", "SSL", "required"

    @classmethod
    def settings(cls):
        # Kafka's PEM key store: the private key (PKCS#8) and then its certificate, in one file.
        keystore = cls.certs.dir.file("client-keystore.pem")
        with open(keystore, "w") as out:
            for part in (cls.certs.client_key, cls.certs.client_cert):
                with open(part) as f:
                    out.write(f.read())
        return "security.protocol=SSL\nssl.keystore.type=PEM\nssl.keystore.location=%s\n" % keystore


if __name__ == "__main__":
    unittest.main()
