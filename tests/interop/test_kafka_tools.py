"""Apache Kafka's own command-line tools (kafka-tools 4.4, run as `java -cp <classpath> <main class>`)
against real skiffd: kafka-topics, kafka-configs, kafka-consumer-groups, kafka-get-offsets,
kafka-delete-records, kafka-log-dirs, kafka-producer-perf-test, kafka-consumer-perf-test,
kafka-verifiable-producer, kafka-verifiable-consumer and kafka-acls, asserting on what each prints;
kafka-configs' SCRAM credentials (users) and client quotas (users, clients) on three nodes.
On one node, and on three nodes at replication factor 3 (topics, produce, consume, get-offsets,
delete-records: there the low watermark must move on every replica).

The classpath comes from tools/tools-classpath.sh (java 17+ and mvn; jars from Maven Central into
~/.m2): without them every test FAILS with the one line saying what is missing. JVM starts are the
cost here, so each test runs few tools; SKIFF_TOOLS_JAVA_OPTS adds JVM options.
"""
import glob
import json
import os
import shlex
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from harness import SkiffCluster, SkiffNode  # noqa: E402
from runner import build_once  # noqa: E402

TOOLS = "org.apache.kafka.tools."
TOPIC_COMMAND = TOOLS + "TopicCommand"                                   # kafka-topics
CONFIG_COMMAND = TOOLS + "ConfigCommand"                                 # kafka-configs
GROUP_COMMAND = TOOLS + "consumer.group.ConsumerGroupCommand"            # kafka-consumer-groups
GET_OFFSETS = TOOLS + "GetOffsetShell"                                   # kafka-get-offsets
DELETE_RECORDS = TOOLS + "DeleteRecordsCommand"                          # kafka-delete-records
LOG_DIRS = TOOLS + "LogDirsCommand"                                      # kafka-log-dirs
PRODUCER_PERF = TOOLS + "ProducerPerformance"                            # kafka-producer-perf-test
CONSUMER_PERF = TOOLS + "ConsumerPerformance"                            # kafka-consumer-perf-test
VERIFIABLE_PRODUCER = TOOLS + "VerifiableProducer"                       # kafka-verifiable-producer
VERIFIABLE_CONSUMER = TOOLS + "VerifiableConsumer"                       # kafka-verifiable-consumer
ACL_COMMAND = TOOLS + "AclCommand"                                       # kafka-acls

# Quick JVM starts (the tools run for seconds); the tools' own log only from WARN on.
JVM_OPTS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss1m",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"]

def classpath():
    """(classpath, None) or (None, the one line saying why there is none); resolved once."""
    return build_once("tools/tools-classpath.sh", "failed", is_result=bool)


class ToolRun:
    def __init__(self, args, p, seconds):
        self.args, self.returncode, self.stdout, self.stderr, self.seconds = args, p.returncode, p.stdout, p.stderr, seconds

    def why(self):
        tail = "\n".join(l for l in self.stderr.splitlines() if not l.startswith("\tat "))[-3000:]
        return "%s exited %d\n--- stdout\n%s\n--- stderr\n%s" % (" ".join(self.args), self.returncode,
                                                                  self.stdout[-3000:], tail)

    def lines(self):
        return [l for l in self.stdout.splitlines() if l.strip()]

    def json_lines(self):
        return [json.loads(l) for l in self.stdout.splitlines() if l.startswith("{")]


class ToolsTests:
    """What every cluster shape checks; subclasses start Skiff and say which tests apply."""
    replication = 1

    @classmethod
    def start_skiff(cls):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.cp, cls.cp_error = classpath()
        cls.skiff = cls.start_skiff() if cls.cp else None
        cls.tmp = tempfile.TemporaryDirectory(prefix="skiff-tools-")

    @classmethod
    def tearDownClass(cls):
        if cls.skiff:
            cls.skiff.close()
        cls.tmp.cleanup()

    def nodes(self):
        return getattr(self.skiff, "nodes", [self.skiff])

    def bootstrap(self):
        return ",".join(n.bootstrap for n in self.nodes())

    def tool(self, main, *args, ok=True, timeout=180):
        if self.cp_error:
            self.fail(self.cp_error)
        cmd = ["java"] + JVM_OPTS + shlex.split(os.environ.get("SKIFF_TOOLS_JAVA_OPTS", "")) + \
              ["-cp", self.cp, main] + [str(a) for a in args]
        start = time.monotonic()
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        run = ToolRun([main.rsplit(".", 1)[-1]] + [str(a) for a in args], p, time.monotonic() - start)
        print("%s: exit %d in %.1fs" % (" ".join(run.args), run.returncode, run.seconds), flush=True)
        if ok and run.returncode != 0:
            for node in self.nodes():
                print("--- skiffd node %d log tail\n%s" % (node.node_id, node.log()[-3000:]), flush=True)
            self.fail(run.why())
        return run

    def file(self, name, content):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(content)
        return path

    def create_topic(self, topic, partitions, *extra):
        run = self.tool(TOPIC_COMMAND, "--bootstrap-server", self.bootstrap(), "--create", "--topic", topic,
                        "--partitions", partitions, "--replication-factor", self.replication, *extra)
        self.assertIn("Created topic %s." % topic, run.stdout, run.why())

    def describe_topic(self, topic):
        """{partition: (leader, [replicas], [isr])} and the topic line."""
        run = self.tool(TOPIC_COMMAND, "--bootstrap-server", self.bootstrap(), "--describe", "--topic", topic)
        parts, head = {}, None
        for line in run.lines():
            fields = dict(f.split(": ", 1) for f in line.strip().split("\t") if ": " in f)
            if "Partition" in fields:
                parts[int(fields["Partition"])] = (int(fields["Leader"]), sorted(map(int, fields["Replicas"].split(","))),
                                                   sorted(map(int, fields["Isr"].split(","))))
            elif "PartitionCount" in fields:
                head = fields
        self.assertIsNotNone(head, run.why())
        return head, parts

    def get_offsets(self, topic, *extra):
        run = self.tool(GET_OFFSETS, "--bootstrap-server", self.bootstrap(), "--topic", topic, *extra)
        out = {}
        for line in run.lines():
            t, p, o = line.rsplit(":", 2)
            self.assertEqual(t, topic, run.why())
            out[int(p)] = int(o)
        return out

    def produce_perf(self, topic, count, *props):
        run = self.tool(PRODUCER_PERF, "--topic", topic, "--num-records", count, "--record-size", 100,
                        "--throughput", -1, "--command-property", "bootstrap.servers=" + self.bootstrap(), *props)
        self.assertRegex(run.stdout, r"(?m)^%d records sent, " % count, run.why())
        return run

    def consume_perf(self, topic, count, group):
        run = self.tool(CONSUMER_PERF, "--bootstrap-server", self.bootstrap(), "--topic", topic,
                        "--num-records", count, "--group", group, "--timeout", 60000)
        # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, ...
        header = [l for l in run.lines() if l.startswith("start.time")]
        self.assertTrue(header, run.why())
        names = [h.strip() for h in header[0].split(",")]
        values = [v.strip() for v in run.lines()[run.lines().index(header[0]) + 1].split(",")]
        self.assertEqual(int(values[names.index("data.consumed.in.nMsg")]), count, run.why())
        return run

    def delete_records(self, topic, offsets):
        spec = {"version": 1, "partitions": [{"topic": topic, "partition": p, "offset": o} for p, o in offsets.items()]}
        run = self.tool(DELETE_RECORDS, "--bootstrap-server", self.bootstrap(),
                        "--offset-json-file", self.file("delete-%s.json" % topic, json.dumps(spec)))
        # "partition: t-0\tlow_watermark: 5" or "partition: t-0\terror: ..."
        got = {}
        for line in run.lines():
            if line.startswith("partition: "):
                fields = dict(f.split(": ", 1) for f in line.split("\t"))
                got[int(fields["partition"].rsplit("-", 1)[1])] = fields.get("low_watermark") or fields.get("error")
        return got, run

    # ---- shared by both cluster shapes

    def test_topics_produce_consume_offsets_delete_records(self):
        topic = "tools-data-%d" % self.replication
        self.create_topic(topic, 3)
        head, parts = self.describe_topic(topic)
        self.assertEqual((head["PartitionCount"], head["ReplicationFactor"]), ("3", str(self.replication)))
        ids = sorted(n.node_id for n in self.nodes())
        self.assertEqual(sorted(parts), [0, 1, 2])
        for p, (leader, replicas, isr) in parts.items():
            self.assertEqual(replicas, ids, "replicas of partition %d" % p)
            self.assertEqual(isr, ids, "ISR of partition %d" % p)
            self.assertIn(leader, ids)

        # 300 records, keyless: the sticky partitioner spreads whole batches; acks=all on 3 nodes.
        self.produce_perf(topic, 300, "acks=all", "linger.ms=0", "batch.size=2000")
        ends = self.get_offsets(topic)
        self.assertEqual(sorted(ends), [0, 1, 2])
        self.assertEqual(sum(ends.values()), 300, ends)
        self.assertEqual(self.get_offsets(topic, "--time", "-2"), {0: 0, 1: 0, 2: 0})
        self.consume_perf(topic, 300, "tools-perf-%d" % self.replication)

        # kafka-delete-records: the low watermark moves (on every replica: the answer waits for
        # the lowest) and earliest follows; -1 means the high watermark; above it is refused.
        # Which partition got how many records is the partitioner's choice: the fullest one
        # loses half, another everything, the third is asked for too much.
        big, other, third = sorted(ends, key=lambda p: (-ends[p], p))
        half = ends[big] // 2
        deleted, run = self.delete_records(topic, {big: half, other: -1})
        self.assertEqual(deleted, {big: str(half), other: str(ends[other])}, run.why())
        self.assertEqual(self.get_offsets(topic, "--time", "-2"), {big: half, other: ends[other], third: 0})
        # ListOffsets v8+: earliest-local is earliest (every record is local); latest-tiered is
        # -1 without tiered storage, which the tool leaves out.
        self.assertEqual(self.get_offsets(topic, "--time", "earliest-local"), {big: half, other: ends[other], third: 0})
        self.assertEqual(self.get_offsets(topic, "--time", "-5"), {})
        self.assertEqual(self.get_offsets(topic), ends)
        deleted, run = self.delete_records(topic, {third: ends[third] + 1})
        self.assertIn("OffsetOutOfRangeException", deleted.get(third, ""), run.why())
        # Every replica moved its log start, and checkpointed it.
        for node in self.nodes():
            files = glob.glob(os.path.join(node.data_dir, "**", "%s-%d" % (topic, big), "log-start-offset"),
                              recursive=True)
            self.assertEqual(len(files), 1, "node %d: %s" % (node.node_id, files))
            with open(files[0]) as f:
                self.assertEqual(int(f.read()), half, "log start of %s-%d on node %d" % (topic, big, node.node_id))
        # Consumers start at the new earliest: a fresh group reads what is left.
        self.consume_perf(topic, 300 - half - ends[other], "tools-after-delete-%d" % self.replication)


class SingleNodeToolsTest(ToolsTests, unittest.TestCase):
    @classmethod
    def start_skiff(cls):
        return SkiffNode().start()

    def test_topics_lifecycle(self):
        topic = "tools-life"
        self.create_topic(topic, 2, "--config", "retention.ms=3600000")
        run = self.tool(TOPIC_COMMAND, "--bootstrap-server", self.bootstrap(), "--alter", "--topic", topic,
                        "--partitions", 5)
        head, parts = self.describe_topic(topic)
        self.assertEqual(head["PartitionCount"], "5", run.why())
        self.assertIn("retention.ms=3600000", head.get("Configs", ""))
        self.assertEqual({p: v[0] for p, v in parts.items()}, {p: 1 for p in range(5)})
        run = self.tool(TOPIC_COMMAND, "--bootstrap-server", self.bootstrap(), "--alter", "--topic", topic,
                        "--partitions", 3, ok=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("InvalidPartitionsException", run.stdout + run.stderr, run.why())
        self.tool(TOPIC_COMMAND, "--bootstrap-server", self.bootstrap(), "--delete", "--topic", topic)
        deadline = time.monotonic() + 30
        while True:
            listed = self.tool(TOPIC_COMMAND, "--bootstrap-server", self.bootstrap(), "--list").lines()
            if topic not in listed or time.monotonic() > deadline:
                break
        self.assertNotIn(topic, listed)

    def test_configs(self):
        topic = "tools-configs"
        self.create_topic(topic, 1)
        b = self.bootstrap()
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--alter", "--entity-type", "topics",
                        "--entity-name", topic, "--add-config", "retention.ms=7200000,max.message.bytes=65536")
        self.assertIn("Completed updating config for topic %s." % topic, run.stdout, run.why())
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--describe", "--entity-type", "topics",
                        "--entity-name", topic)
        self.assertIn("Dynamic configs for topic %s are:" % topic, run.stdout, run.why())
        self.assertRegex(run.stdout, r"retention\.ms=7200000 sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:retention\.ms=7200000")
        self.assertRegex(run.stdout, r"max\.message\.bytes=65536 sensitive=false")
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--alter", "--entity-type", "topics",
                        "--entity-name", topic, "--delete-config", "max.message.bytes")
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--describe", "--entity-type", "topics",
                        "--entity-name", topic)
        self.assertNotIn("max.message.bytes=65536", run.stdout, run.why())
        self.assertIn("retention.ms=7200000", run.stdout, run.why())
        # Broker configs: every one with --all, with its source.
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--describe", "--entity-type", "brokers",
                        "--entity-name", 1, "--all")
        self.assertIn("All configs for broker 1 are:", run.stdout, run.why())
        self.assertGreater(len(run.lines()), 5, run.why())
        self.assertIn("  log.retention.ms=604800000 sensitive=false synonyms={DEFAULT_CONFIG:log.retention.ms=604800000}",
                      run.stdout, run.why())
        self.assertRegex(run.stdout, r"(?m)^  node\.id=1 sensitive=false synonyms=\{(STATIC_BROKER|DEFAULT)_CONFIG:node\.id=1\}$",
                         run.why())
        # Broker configs are static (the node's config file): altering one says so, as Kafka
        # says for a config it cannot change dynamically.
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--alter", "--entity-type", "brokers",
                        "--entity-name", 1, "--add-config", "log.retention.ms=100000", ok=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("Cannot update these configs dynamically: [log.retention.ms]", run.stdout + run.stderr, run.why())
        # Users: no quota and no SCRAM credential exists (ThreeNodeToolsTest.test_scram_credentials
        # stores some); a quota is set, described and deleted (ThreeNodeToolsTest.test_client_quotas
        # goes further).
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--describe", "--entity-type", "users")
        self.assertEqual(run.stdout.strip(), "", run.why())
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--alter", "--entity-type", "users",
                        "--entity-name", "alice", "--add-config", "producer_byte_rate=1024")
        self.assertIn("Completed updating config for user alice.", run.stdout, run.why())
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--describe", "--entity-type", "users",
                        "--entity-name", "alice")
        self.assertIn("Quota configs for user-principal 'alice' are producer_byte_rate=1024.0", run.stdout, run.why())
        self.tool(CONFIG_COMMAND, "--bootstrap-server", b, "--alter", "--entity-type", "users",
                  "--entity-name", "alice", "--delete-config", "producer_byte_rate")

    def test_acls_with_the_authorizer(self):
        """kafka-acls adds, lists and removes ACLs on a node with authorizer.enable (User:ANONYMOUS is
        a super user here, so the tool may change them): Kafka's own output for each (#18)."""
        node = SkiffNode(extra_args=["--authorizer-enable", "true", "--super-users", "User:ANONYMOUS"]).start()
        try:
            b = node.bootstrap
            orders = "ResourcePattern(resourceType=TOPIC, name=orders, patternType=LITERAL)"
            run = self.tool(ACL_COMMAND, "--bootstrap-server", b, "--add", "--allow-principal", "User:alice",
                            "--operation", "Read", "--operation", "Write", "--topic", "orders")
            self.assertIn("Adding ACLs for resource `%s`:" % orders, run.stdout, run.why())
            self.tool(ACL_COMMAND, "--bootstrap-server", b, "--add", "--deny-principal", "User:bob", "--operation",
                      "Write", "--topic", "pay-", "--resource-pattern-type", "prefixed")
            self.tool(ACL_COMMAND, "--bootstrap-server", b, "--add", "--allow-principal", "User:carol", "--consumer",
                      "--topic", "orders", "--group", "app")
            run = self.tool(ACL_COMMAND, "--bootstrap-server", b, "--list")
            for line in ("Current ACLs for resource `%s`:" % orders,
                         "(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)",
                         "(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)",
                         "(principal=User:carol, host=*, operation=DESCRIBE, permissionType=ALLOW)",
                         "Current ACLs for resource `ResourcePattern(resourceType=TOPIC, name=pay-, patternType=PREFIXED)`:",
                         "(principal=User:bob, host=*, operation=WRITE, permissionType=DENY)",
                         "Current ACLs for resource `ResourcePattern(resourceType=GROUP, name=app, patternType=LITERAL)`:",
                         "(principal=User:carol, host=*, operation=READ, permissionType=ALLOW)"):
                self.assertIn(line, run.stdout, run.why())
            self.tool(ACL_COMMAND, "--bootstrap-server", b, "--remove", "--force", "--allow-principal", "User:alice",
                      "--operation", "Read", "--topic", "orders")
            run = self.tool(ACL_COMMAND, "--bootstrap-server", b, "--list", "--topic", "orders")
            self.assertNotIn("(principal=User:alice, host=*, operation=READ, permissionType=ALLOW)", run.stdout, run.why())
            self.assertIn("(principal=User:alice, host=*, operation=WRITE, permissionType=ALLOW)", run.stdout, run.why())
            self.assertNotIn("pay-", run.stdout, run.why())   # --list --topic lists that topic's literal ACLs only
            self.assertIn("ACLs: removed TOPIC:LITERAL:orders User:alice from * ALLOW READ", node.log())
        finally:
            node.close()

    def test_acls_answer_security_disabled(self):
        run = self.tool(ACL_COMMAND, "--bootstrap-server", self.bootstrap(), "--list", ok=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("SecurityDisabledException: No Authorizer is configured.", run.stdout + run.stderr, run.why())
        run = self.tool(ACL_COMMAND, "--bootstrap-server", self.bootstrap(), "--add", "--allow-principal", "User:alice",
                        "--operation", "Read", "--topic", "t", ok=False)
        self.assertIn("No Authorizer is configured.", run.stdout + run.stderr, run.why())

    def test_consumer_groups_and_verifiable_clients(self):
        topic, group = "tools-groups", "tools-verifiable"
        self.create_topic(topic, 2)
        run = self.tool(VERIFIABLE_PRODUCER, "--bootstrap-server", self.bootstrap(), "--topic", topic,
                        "--max-messages", 200, "--acks", -1)
        events = run.json_lines()
        acked = [e for e in events if e.get("name") == "producer_send_success"]
        self.assertEqual(len(acked), 200, run.why())
        self.assertEqual(sorted(int(e["value"]) for e in acked), list(range(200)))
        self.assertEqual([e.get("acked") for e in events if e.get("name") == "tool_data"], [200], run.why())

        run = self.tool(VERIFIABLE_CONSUMER, "--bootstrap-server", self.bootstrap(), "--topic", topic,
                        "--group-id", group, "--max-messages", 200, "--reset-policy", "earliest")
        events = run.json_lines()
        consumed = [r for e in events if e.get("name") == "records_consumed" for r in e["partitions"]]
        self.assertEqual(sum(r["count"] for r in consumed), 200, run.why())
        committed = {}
        for e in events:
            if e.get("name") == "offsets_committed" and e.get("success"):
                for o in e["offsets"]:
                    committed[o["partition"]] = o["offset"]
        ends = self.get_offsets(topic)
        self.assertEqual(sum(ends.values()), 200)
        # The consumer commits what it read: the end of every partition that got records.
        self.assertEqual(committed, {p: e for p, e in ends.items() if e > 0}, run.why())

        b = self.bootstrap()
        self.assertIn(group, self.tool(GROUP_COMMAND, "--bootstrap-server", b, "--list").lines())
        # ListGroups v5: the type filter and the group type (every group here is classic).
        def listed(*filters):
            run = self.tool(GROUP_COMMAND, "--bootstrap-server", b, "--list", *filters)
            return [l.split() for l in run.lines()[1:]], run
        rows, run = listed("--type", "classic", "--state", "empty")
        self.assertIn([group, "Classic", "Empty"], rows, run.why())
        rows, run = listed("--type", "consumer")
        self.assertEqual(rows, [], run.why())
        run = self.tool(GROUP_COMMAND, "--bootstrap-server", b, "--describe", "--group", group)
        rows = {}
        for line in run.lines():
            f = line.split()
            if f[0] == group and f[1] == topic:
                rows[int(f[2])] = (int(f[3]), int(f[4]), int(f[5]))   # current, log end, lag
        # Without members the tool lists the partitions with a committed offset.
        self.assertEqual(rows, {p: (e, e, 0) for p, e in ends.items() if e > 0}, run.why())
        self.assertIn("Consumer group '%s' has no active members." % group, run.stdout + run.stderr)
        run = self.tool(GROUP_COMMAND, "--bootstrap-server", b, "--describe", "--group", group, "--state")
        # GROUP, COORDINATOR (ID), ASSIGNMENT-STRATEGY, STATE, #MEMBERS
        self.assertRegex(run.stdout, r"(?m)^%s\s+%s\s+\(1\)\s+-\s+Empty\s+0\s*$" % (group, self.skiff.bootstrap), run.why())

        run = self.tool(GROUP_COMMAND, "--bootstrap-server", b, "--reset-offsets", "--group", group, "--topic",
                        topic, "--to-offset", 7, "--execute")
        # An offset past a partition's end is set to its end, as the tool says it does.
        expected = {p: min(7, e) for p, e in ends.items()}
        reset = {int(f[2]): int(f[3]) for f in (l.split() for l in run.lines()) if f[0] == group}
        self.assertEqual(reset, expected, run.why())
        run = self.tool(GROUP_COMMAND, "--bootstrap-server", b, "--describe", "--group", group, "--offsets")
        now = {int(f[2]): int(f[3]) for f in (l.split() for l in run.lines()) if f[0] == group and f[1] == topic}
        self.assertEqual(now, expected, run.why())

        run = self.tool(GROUP_COMMAND, "--bootstrap-server", b, "--delete", "--group", group)
        self.assertIn("Deletion of requested consumer groups ('%s') was successful." % group, run.stdout, run.why())
        self.assertNotIn(group, self.tool(GROUP_COMMAND, "--bootstrap-server", b, "--list").lines())

    def test_log_dirs(self):
        topic = "tools-logdirs"
        self.create_topic(topic, 2)
        self.produce_perf(topic, 50)
        run = self.tool(LOG_DIRS, "--bootstrap-server", self.bootstrap(), "--describe", "--topic-list", topic)
        described = [json.loads(l) for l in run.lines() if l.startswith("{")]
        self.assertEqual(len(described), 1, run.why())
        brokers = described[0]["brokers"]
        self.assertEqual([b["broker"] for b in brokers], [1])
        dirs = brokers[0]["logDirs"]
        self.assertEqual(len(dirs), 1)
        self.assertIsNone(dirs[0]["error"])
        self.assertEqual(os.path.realpath(dirs[0]["logDir"]), os.path.realpath(self.skiff.data_dir))
        sizes = {p["partition"]: p["size"] for p in dirs[0]["partitions"]}
        self.assertEqual(sorted(sizes), ["%s-0" % topic, "%s-1" % topic])
        self.assertGreater(sum(sizes.values()), 50 * 100)
        self.assertTrue(all(not p["isFuture"] and p["offsetLag"] == 0 for p in dirs[0]["partitions"]))


class ThreeNodeToolsTest(ToolsTests, unittest.TestCase):
    """Replication factor 3: acks=all waits for both followers; delete-records for all three."""
    replication = 3

    @classmethod
    def start_skiff(cls):
        return SkiffCluster.started(3)

    def test_scram_credentials(self):
        """kafka-configs stores, describes and deletes SCRAM credentials (KIP-554) through one node
        and reads them through another: they are the cluster's metadata, not a node's (#18)."""
        first, other = self.nodes()[0].bootstrap, self.nodes()[2].bootstrap

        def alter(user, *args, ok=True):
            return self.tool(CONFIG_COMMAND, "--bootstrap-server", first, "--alter", "--entity-type", "users",
                             "--entity-name", user, *args, ok=ok)

        def described(*args):
            run = self.tool(CONFIG_COMMAND, "--bootstrap-server", other, "--describe", "--entity-type", "users", *args)
            return {l for l in run.lines() if l.startswith("SCRAM credential configs")}, run

        run = alter("bob", "--add-config", "SCRAM-SHA-512=[iterations=8192,password=bob-secret]")
        self.assertIn("Completed updating config for user bob.", run.stdout, run.why())
        run = alter("carol", "--add-config", "SCRAM-SHA-256=[password=carol-secret]")   # the tool's default: 4096
        self.assertIn("Completed updating config for user carol.", run.stdout, run.why())
        want = {"SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-512=iterations=8192",
                "SCRAM credential configs for user-principal 'carol' are SCRAM-SHA-256=iterations=4096"}
        # Another node answers once it has applied the entries (a moment after the one asked).
        deadline = time.monotonic() + 20
        while True:
            lines, run = described()
            if lines == want or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(lines, want, run.why())
        lines, run = described("--entity-name", "bob")
        self.assertEqual(lines, {"SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-512=iterations=8192"},
                         run.why())
        # A user without credentials: Kafka's RESOURCE_NOT_FOUND, which the admin client leaves out
        # of the users it lists (any other error would fail the describe); the wire answer itself
        # is checked in tests/e2e/test_scram_users.py.
        run = self.tool(CONFIG_COMMAND, "--bootstrap-server", other, "--describe", "--entity-type", "users",
                        "--entity-name", "nobody")
        self.assertEqual(run.stdout.strip(), "", run.why())

        # Refusals. Below 4096 iterations the tool refuses by itself; above 16384 the broker does,
        # with Kafka's UNACCEPTABLE_CREDENTIAL; deleting what does not exist is RESOURCE_NOT_FOUND.
        run = alter("bob", "--add-config", "SCRAM-SHA-512=[iterations=1000,password=x]", ok=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("Iterations 1000 is less than the minimum 4096 required for SCRAM-SHA-512", run.stdout + run.stderr,
                      run.why())
        run = alter("bob", "--add-config", "SCRAM-SHA-512=[iterations=20000,password=x]", ok=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("UnacceptableCredentialException: Too many iterations for user 'bob': 20000 (allowed: 4096 to 16384)",
                      run.stdout + run.stderr, run.why())
        run = alter("bob", "--delete-config", "SCRAM-SHA-256", ok=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("ResourceNotFoundException: Attempt to delete a user credential that does not exist",
                      run.stdout + run.stderr, run.why())
        lines, run = described("--entity-name", "bob")   # the refusals changed nothing
        self.assertEqual(lines, {"SCRAM credential configs for user-principal 'bob' are SCRAM-SHA-512=iterations=8192"},
                         run.why())

        run = alter("bob", "--delete-config", "SCRAM-SHA-512")
        self.assertIn("Completed updating config for user bob.", run.stdout, run.why())
        deadline = time.monotonic() + 20
        while True:
            lines, run = described()
            if lines == want - {next(iter(l for l in want if "'bob'" in l))} or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        self.assertEqual(lines, {"SCRAM credential configs for user-principal 'carol' are SCRAM-SHA-256=iterations=4096"},
                         run.why())

    def test_client_quotas(self):
        """kafka-configs sets client quotas (KIP-546) through one node, reads them through another,
        refuses what Kafka refuses, and deletes them (#18)."""
        first, other = self.nodes()[0].bootstrap, self.nodes()[2].bootstrap

        def alter(*args, ok=True):
            return self.tool(CONFIG_COMMAND, "--bootstrap-server", first, "--alter", *args, ok=ok)

        def described(*args):
            run = self.tool(CONFIG_COMMAND, "--bootstrap-server", other, "--describe", *args)
            return {l for l in run.lines() if l.startswith("Quota configs")}, run

        def eventually(want, *args):
            deadline = time.monotonic() + 20
            while True:
                lines, run = described(*args)
                if lines == want or time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            self.assertEqual(lines, want, run.why())

        run = alter("--entity-type", "clients", "--entity-name", "quota-app", "--add-config", "producer_byte_rate=204800")
        self.assertIn("Completed updating config for client quota-app.", run.stdout, run.why())
        run = alter("--entity-type", "users", "--entity-name", "dave", "--entity-type", "clients", "--entity-default",
                    "--add-config", "consumer_byte_rate=1048576")
        self.assertIn("Completed updating config for user dave.", run.stdout, run.why())
        run = alter("--entity-type", "users", "--entity-default", "--add-config", "request_percentage=150")
        self.assertIn("Completed updating default config for users in the cluster.", run.stdout, run.why())
        eventually({"Quota configs for client-id 'quota-app' are producer_byte_rate=204800.0"},
                   "--entity-type", "clients", "--entity-name", "quota-app")
        eventually({"Quota configs for user-principal 'dave', the default client-id are consumer_byte_rate=1048576.0"},
                   "--entity-type", "users", "--entity-name", "dave", "--entity-type", "clients", "--entity-default")
        eventually({"Quota configs for the default user-principal are request_percentage=150.0"},
                   "--entity-type", "users", "--entity-default")

        # Refusals are the broker's INVALID_REQUEST, with Kafka's words; nothing changed.
        run = alter("--entity-type", "clients", "--entity-name", "quota-app", "--add-config", "producer_byte_rate=0", ok=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("InvalidRequestException: Quota producer_byte_rate must be greater than 0", run.stdout + run.stderr,
                      run.why())
        run = alter("--entity-type", "clients", "--entity-name", "quota-app", "--add-config", "producer_byte_rate=10.5",
                    ok=False)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("producer_byte_rate cannot be a fractional value", run.stdout + run.stderr, run.why())
        eventually({"Quota configs for client-id 'quota-app' are producer_byte_rate=204800.0"},
                   "--entity-type", "clients", "--entity-name", "quota-app")

        for args in (["--entity-type", "clients", "--entity-name", "quota-app", "--delete-config", "producer_byte_rate"],
                     ["--entity-type", "users", "--entity-name", "dave", "--entity-type", "clients", "--entity-default",
                      "--delete-config", "consumer_byte_rate"],
                     ["--entity-type", "users", "--entity-default", "--delete-config", "request_percentage"]):
            alter(*args)
        eventually(set(), "--entity-type", "clients")
        eventually(set(), "--entity-type", "users")


if __name__ == "__main__":
    unittest.main()
