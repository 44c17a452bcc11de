"""Apache Kafka's own kafka-metadata-quorum (org.apache.kafka.tools.MetadataQuorumCommand, from
kafka-tools at the kafka-clients version of java/pom.xml) against a real 3-node Skiff cluster, in
bootstrap-server mode through each node:

- `describe --status`: the cluster id, the leader and epoch `skiffctl --json status` shows (leader_id,
  term), a high watermark, the three voters with their Kafka listeners, no observers;
- `describe --replication`: one Leader and two Follower rows, every log end offset at the leader's
  once idle (lag 0), fetch and caught-up times;
- after kill -9 of a follower, `describe --replication` through the other shows the killed one's lag
  growing while metadata changes are committed without it, and its caught-up time staying put.

The tool's classpath comes from tools/tools-classpath.sh (Maven Central into ~/.m2, as for the
other tools); without java and mvn the test FAILS saying what is missing.
"""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402

from harness import SkiffCluster, poll  # noqa: E402
from runner import build_once  # noqa: E402

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(HERE, "../../build/bin/skiffctl"))
MAIN = "org.apache.kafka.tools.MetadataQuorumCommand"


def tool_classpath():
    """kafka-tools' runtime classpath (tools/tools-classpath.sh), resolved once per process; an
    AssertionError naming what is missing otherwise."""
    cp, error = build_once("tools/tools-classpath.sh", "failed", is_result=bool)
    if not cp:
        raise AssertionError(error)
    return cp


def metadata_quorum(node, *args):
    p = subprocess.run(["java", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", tool_classpath(), MAIN,
                        "--bootstrap-server", node.bootstrap, "describe"] + list(args),
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise AssertionError("kafka-metadata-quorum describe %s through node %d exited %d:\n%s%s" % (
            " ".join(args), node.node_id, p.returncode, p.stdout, p.stderr))
    return p.stdout


def status_of(node):
    """`describe --status` as {key: value}."""
    out = {}
    for line in metadata_quorum(node, "--status").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def replication_of(node):
    """`describe --replication` as [{column: value}], values as the tool printed them."""
    lines = [l.split() for l in metadata_quorum(node, "--replication").splitlines() if l.strip()]
    header, rows = lines[0], lines[1:]
    assert header == ["NodeId", "DirectoryId", "LogEndOffset", "Lag", "LastFetchTimestamp", "LastCaughtUpTimestamp",
                      "Status"], header
    return [dict(zip(header, r)) for r in rows]


def skiffctl_status(node):
    r = subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "--json", "status"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    (only,) = json.loads(r.stdout)["nodes"]   # one node asked: its status (the "commit" line of `skiffctl status`)
    return only["status"]


class MetadataQuorumToolTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        tool_classpath()   # a missing tool fails here, before a cluster is started
        cls.cluster = SkiffCluster(3).start()

    @classmethod
    def tearDownClass(cls):
        cls.cluster.close()

    def test_a_status_through_every_node(self):
        leader = self.cluster.wait_leader()
        st = skiffctl_status(self.cluster.node(leader))
        for n in self.cluster.nodes:
            s = status_of(n)
            self.assertEqual(s["LeaderId"], str(leader), s)
            self.assertEqual(s["LeaderEpoch"], str(st["term"]), s)
            self.assertEqual(s["ClusterId"], st["cluster_id"], s)
            self.assertGreater(int(s["HighWatermark"]), 0, s)
            voters = json.loads(s["CurrentVoters"])
            self.assertEqual(sorted(v["id"] for v in voters), [1, 2, 3], s)
            for v in voters:
                self.assertEqual(v["endpoints"], ["PLAINTEXT://127.0.0.1:%d" % self.cluster.node(v["id"]).kafka_port], s)
            self.assertEqual(json.loads(s["CurrentObservers"]), [], s)

    def test_b_replication_through_every_node(self):
        leader = self.cluster.wait_leader()
        for n in self.cluster.nodes:
            rows = poll("all voters at the leader's log end through node %d" % n.node_id,
                        lambda: (lambda rs: rs if all(r["Lag"] == "0" for r in rs) else None)(replication_of(n)))
            self.assertEqual([r["NodeId"] for r in rows if r["Status"] == "Leader"], [str(leader)])
            self.assertEqual(sorted(r["NodeId"] for r in rows if r["Status"] == "Follower"),
                             sorted(str(i) for i in (1, 2, 3) if i != leader))
            for r in rows:
                self.assertGreater(int(r["LogEndOffset"]), 0, r)
                self.assertGreater(int(r["LastFetchTimestamp"]), 0, r)
                self.assertGreater(int(r["LastCaughtUpTimestamp"]), 0, r)

    def test_z_a_killed_followers_lag_grows(self):
        leader = self.cluster.wait_leader()
        killed, other = [n for n in self.cluster.nodes if n.node_id != leader]
        killed.kill9()
        gone = str(killed.node_id)

        # Once the other follower has been heard after the killed one, what it sent before dying is in.
        def heard_after():
            rows = {r["NodeId"]: r for r in replication_of(other)}
            return rows if int(rows[str(other.node_id)]["LastFetchTimestamp"]) > int(rows[gone]["LastFetchTimestamp"]) else None
        before = poll("node %d heard after node %s" % (other.node_id, gone), heard_after)
        admin = AdminClient({"bootstrap.servers": other.bootstrap})
        for f in admin.create_topics([NewTopic("tool-quorum-%d" % i, 1, 1) for i in range(3)]).values():
            f.result(30)

        def grown():
            rows = {r["NodeId"]: r for r in replication_of(other)}
            return rows if int(rows[gone]["Lag"]) > int(before[gone]["Lag"]) else None
        after = poll("node %s's lag growing" % gone, grown)
        self.assertEqual(after[gone]["LastCaughtUpTimestamp"], before[gone]["LastCaughtUpTimestamp"])
        self.assertEqual(after[gone]["LogEndOffset"], before[gone]["LogEndOffset"])
        self.assertEqual(after[str(leader)]["Status"], "Leader")


if __name__ == "__main__":
    unittest.main()
