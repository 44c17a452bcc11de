"""The Go clients (tests/interop/go: twmb/franz-go kgo and kadm, IBM/sarama at Kafka 4.0's request
versions and at its default 2.8's, segmentio/kafka-go) against real skiffd.

One program (go/main.go) runs a scenario with one client: produce (PREFIX-{none,gzip,snappy,lz4,
zstd}, acks=all, idempotent where the client can be, keys, null keys and values, headers, each
record at the offset its index gives), consume (a classic-protocol group reading back exactly what
produce wrote and committing, a member rejoining at committed offsets, two members splitting the
partitions) and admin (topics, configs, partitions, offsets and groups through the client's admin
API; the calls Skiff does not answer yet are tried and their outcome printed). Each prints one
JSON line of steps; every step must pass. The clients run side by side, on one node and on
three nodes at replication factor 3 with min.insync.replicas 2 (produce and consume).

The program is built by build-go.sh (go as new as go/go.mod asks, modules from the Go proxy):
without go every test FAILS, saying what is missing.
"""
import os
import sys
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from harness import SkiffCluster, SkiffNode  # noqa: E402
from runner import ScenarioRun, build_once  # noqa: E402

# sarama-default: sarama at its default Config.Version (2.8), older requests than sarama's 4.0 ones.
CLIENTS = ["franz", "sarama", "sarama-default", "kafkago"]
IDEMPOTENT = {"franz": True, "sarama": True, "sarama-default": True, "kafkago": False}   # kafka-go has none
CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]
PARTITIONS, COUNT, RESUME_AT = 4, 200, 10
# Clients whose API has no DeleteRecords call (the step records that instead of deleting).
NO_DELETE_RECORDS = {"kafkago"}

def build_binary():
    return build_once("build-go.sh", "go build failed")


class Scenario(ScenarioRun):
    """One run of a client's scenario."""

    def __init__(self, binary, client, name, bootstrap, **options):
        super().__init__([binary, client, name, bootstrap], "%s %s" % (client, name), **options)
        self.client, self.name = client, name


class GoClientTests:
    """The assertions; the subclasses say against what (a node, a cluster)."""
    suffix = ""
    options = {}
    _produced = None

    @classmethod
    def start_skiff(cls):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.binary, cls.build_error = build_binary()
        cls.skiff = None
        cls.base_ts = int(time.time() * 1000) - 600_000   # ten minutes ago: every record's CreateTime
        if cls.binary:
            cls.skiff = cls.start_skiff()

    @classmethod
    def tearDownClass(cls):
        if cls.skiff:
            cls.skiff.close()

    def scenario(self, name):
        """The scenario run by every client at once: {client: Scenario}."""
        if self.build_error:
            self.fail(self.build_error)
        options = dict(partitions=PARTITIONS, count=COUNT, base_ts=self.base_ts, **self.options)
        with ThreadPoolExecutor(len(CLIENTS)) as pool:
            runs = dict(zip(CLIENTS, pool.map(
                lambda c: Scenario(self.binary, c, name, self.bootstrap(), prefix=c + self.suffix, **options),
                CLIENTS)))
        if any(r.returncode != 0 for r in runs.values()):
            for node in getattr(self.skiff, "nodes", [self.skiff]):
                print("--- skiffd node %d log tail\n%s" % (node.node_id, node.log()[-4000:]), flush=True)
        return runs

    def produced(self):
        """The produce runs (once per class: consume reads what they wrote)."""
        if type(self)._produced is None:
            type(self)._produced = self.scenario("produce")
        return type(self)._produced

    def assert_steps_ok(self, run, steps):
        self.assertIsNotNone(run.result, "no JSON line from " + run.why())
        for step in steps:
            with self.subTest(client=run.client, step=step):
                self.assertIn(step, run.steps, run.why())
                self.assertTrue(run.steps[step]["ok"], run.why(step))
        if run.result and run.result.get("ok"):
            self.assertEqual(run.returncode, 0, run.why())

    def test_produce(self):
        per_partition = {str(p): {"first": 0, "last": COUNT // PARTITIONS - 1, "count": COUNT // PARTITIONS}
                         for p in range(PARTITIONS)}
        rf = self.options.get("replication_factor", 1)
        for client, run in self.produced().items():
            self.assert_steps_ok(run, ["create_topics"] + ["codec_" + c for c in CODECS])
            with self.subTest(client=client):
                created = run.step("create_topics")
                self.assertEqual(created.get("replicas"), {"%s%s-%s" % (client, self.suffix, c): [rf] * PARTITIONS
                                                          for c in CODECS}, run.why("create_topics"))
                self.assertEqual(created.get("min_insync_replicas"), str(self.options.get("min_insync", 1)))
                for codec in CODECS:
                    step = run.step("codec_" + codec)
                    self.assertEqual(step.get("count"), COUNT, run.why("codec_" + codec))
                    self.assertEqual(step.get("offsets"), per_partition, run.why("codec_" + codec))
                    self.assertEqual(step.get("idempotent"), IDEMPOTENT[client])

    def test_consume(self):
        produced = self.produced()
        for client, run in produced.items():
            self.assertEqual(run.returncode, 0, "produce failed, so consume has nothing to read: " + run.why())
        for client, run in self.scenario("consume").items():
            self.assert_steps_ok(run, ["read_back", "resume_from_committed", "two_member_split"])
            with self.subTest(client=client):
                read_back = run.step("read_back")
                self.assertEqual(read_back.get("records"), COUNT * len(CODECS), run.why("read_back"))
                self.assertEqual(read_back.get("per_topic"),
                                 {"%s%s-%s" % (client, self.suffix, c): COUNT for c in CODECS}, run.why("read_back"))
                self.assertEqual((read_back.get("mismatches"), read_back.get("duplicates")), ([], 0),
                                 run.why("read_back"))
                resume = run.step("resume_from_committed")
                self.assertEqual(resume.get("records"), COUNT - RESUME_AT * PARTITIONS, run.why("resume_from_committed"))
                self.assertEqual(resume.get("resumed_at"), {str(p): RESUME_AT for p in range(PARTITIONS)},
                                 run.why("resume_from_committed"))
                split = run.step("two_member_split")
                self.assertEqual(sorted(split.get("a_partitions", []) + split.get("b_partitions", [])),
                                 list(range(PARTITIONS)), run.why("two_member_split"))
                self.assertEqual(split.get("records"), COUNT, run.why("two_member_split"))


class SingleNodeTest(GoClientTests, unittest.TestCase):
    suffix = "1"

    @classmethod
    def start_skiff(cls):
        return SkiffNode().start()

    def bootstrap(self):
        return self.skiff.bootstrap

    def test_admin(self):
        for client, run in self.scenario("admin").items():
            self.assert_steps_ok(run, [
                "create_topics", "create_topics_validate_only", "list_topics", "describe_topics",
                "describe_configs", "incremental_alter_configs", "create_partitions", "list_offsets",
                "describe_group_active", "commit_offsets", "list_groups", "describe_group", "delete_offsets",
                "delete_groups", "delete_records", "delete_topics"])
            with self.subTest(client=client):
                self.assertEqual(run.step("list_offsets").get("partition0"), {"earliest": 0, "latest": 10},
                                 run.why("list_offsets"))
                self.assertEqual(run.step("create_partitions").get("partitions"), 5, run.why("create_partitions"))
                group = run.step("describe_group_active").get("group", {})
                self.assertEqual(group.get("state"), "Stable", run.why("describe_group_active"))
                self.assertEqual([len(m["assigned"]) for m in group.get("members", [])], [5],
                                 run.why("describe_group_active"))
                deleted = run.step("delete_records")
                if client in NO_DELETE_RECORDS:
                    self.assertEqual(deleted.get("offered"), False, run.why("delete_records"))
                else:
                    self.assertEqual(deleted.get("partition0"), {"earliest": 3, "latest": 10}, run.why("delete_records"))


class ThreeNodeTest(GoClientTests, unittest.TestCase):
    """Replication factor 3, min.insync.replicas 2: acks=all waits for the followers."""
    suffix = "3"
    options = {"replication_factor": 3, "min_insync": 2}

    @classmethod
    def start_skiff(cls):
        return SkiffCluster.started(3)

    def bootstrap(self):
        return ",".join(n.bootstrap for n in self.skiff.nodes)


if __name__ == "__main__":
    unittest.main()
