"""DescribeQuorum (key 55) on a real 3-node cluster: the metadata Raft quorum as its leader sees it,
answered through every node (a follower asks the leader over its peer link, as a Kafka broker
forwards the request to the active controller), in each version Kafka's tools send (v0-v2):

- every node names the same leader and epoch, the ones `skiffctl --json status` shows (leader_id,
  term); the high watermark is the leader's commit index there; 3 voters, no observers, each with
  a log end offset at the high watermark once idle and, from v1, fetch and caught-up times;
  from v2 each voter's Kafka listener (Nodes) and a zero directory id;
- after kill -9 of a follower, its times stay where they were while the other follower's advance,
  and its lag grows with every metadata change committed without it;
- a request naming another topic or partition gets UNKNOWN_TOPIC_OR_PARTITION for it.

Requests are encoded by hand (kafka_wire): no Debian client sends DescribeQuorum; the Java
AdminClient and kafka-metadata-quorum are run by tests/interop.
"""
import json
import os
import struct
import subprocess
import time
import unittest

from confluent_kafka.admin import AdminClient, NewTopic

from harness import SkiffCluster, poll
from kafka_wire import api_versions, call, compact_array, compact_string

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
NONE, UNKNOWN_TOPIC_OR_PARTITION = 0, 3
METADATA_TOPIC = "__cluster_metadata"


def describe_quorum(node, version, topics=((METADATA_TOPIC, (0,)),)):
    """The response as a dict: error, message, topics [(name, [partition dict])], nodes {id: [(name, host, port)]}."""
    body = compact_array(list(topics), lambda t: compact_string(t[0]) + compact_array(
        list(t[1]), lambda p: struct.pack(">i", p) + b"\x00") + b"\x00") + b"\x00"
    r = call(node, 55, version, True, body, client=b"e2e-quorum")

    def replica():
        rep = {"id": r.take(">i")}
        if version >= 2:
            rep["directory_id"] = r.data[r.pos:r.pos + 16]
            r.pos += 16
        rep["log_end_offset"] = r.take(">q")
        if version >= 1:
            rep["last_fetch"], rep["last_caught_up"] = r.take(">q"), r.take(">q")
        r.tags()
        return rep

    def partition():
        p = {"index": r.take(">i"), "error": r.take(">h")}
        p["message"] = r.string() if version >= 2 else None
        p["leader"], p["epoch"], p["hw"] = r.take(">i"), r.take(">i"), r.take(">q")
        p["voters"], p["observers"] = r.array(replica), r.array(replica)
        r.tags()
        return p

    def topic():
        t = (r.string(), r.array(partition))
        r.tags()
        return t

    def listener():
        entry = (r.string(), r.string(), r.take(">H"))
        r.tags()
        return entry

    def node_():
        n = (r.take(">i"), r.array(listener))
        r.tags()
        return n

    out = {"error": r.take(">h")}
    out["message"] = r.string() if version >= 2 else None
    out["topics"] = r.array(topic)
    out["nodes"] = dict(r.array(node_)) if version >= 2 else None
    r.tags()
    r.done()
    return out


def quorum_of(node, version=2):
    """The one partition's answer, checked to be the metadata log's and without error."""
    resp = describe_quorum(node, version)
    assert resp["error"] == NONE, resp
    assert [name for name, _ in resp["topics"]] == [METADATA_TOPIC], resp
    (p,) = resp["topics"][0][1]
    assert p["index"] == 0 and p["error"] == NONE, p
    return p, resp["nodes"]


def voter(p, node_id):
    return next(v for v in p["voters"] if v["id"] == node_id)


def skiffctl_status(node):
    r = subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "--json", "status"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    (only,) = json.loads(r.stdout)["nodes"]   # one node asked: its status (the "commit" line of `skiffctl status`)
    return only["status"]


class MetadataQuorumTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = SkiffCluster(3).start()

    @classmethod
    def tearDownClass(cls):
        cls.cluster.close()

    def setUp(self):
        self.leader = self.cluster.wait_leader()

    def alive(self):
        return [n for n in self.cluster.nodes if n.proc.poll() is None]

    def test_a_api_versions_lists_describe_quorum_v0_to_v2(self):
        for n in self.cluster.nodes:
            self.assertEqual(api_versions(n)[55], (0, 2))

    def test_b_every_node_answers_with_the_leaders_view(self):
        leader_node = self.cluster.node(self.leader)
        # Idle, every voter holds what is committed.
        poll("all voters at the high watermark through every node",
             lambda: all(all(v["log_end_offset"] >= p["hw"] for v in p["voters"])
                         for p in (quorum_of(n)[0] for n in self.cluster.nodes)))
        # The commit index does not move while the cluster is idle: read between two equal
        # `skiffctl status` commits, the high watermark is that commit.
        def hw_matches_status():
            before = skiffctl_status(leader_node)
            answers = [quorum_of(n, v)[0] for n in self.cluster.nodes for v in (0, 1, 2)]
            after = skiffctl_status(leader_node)
            if before["commit"] != after["commit"] or before["term"] != after["term"]:
                return None
            return before, answers
        status, answers = poll("two equal commits around DescribeQuorum", hw_matches_status)
        self.assertEqual(status["leader_id"], self.leader)
        for p in answers:
            self.assertEqual(p["leader"], self.leader)
            self.assertEqual(p["epoch"], status["term"])
            self.assertEqual(p["hw"], status["commit"])
            self.assertEqual(sorted(v["id"] for v in p["voters"]), [1, 2, 3])
            self.assertEqual(p["observers"], [])
            for v in p["voters"]:
                self.assertGreaterEqual(v["log_end_offset"], p["hw"])
        # v1 adds the times: every voter heard from and caught up; the leader reports "now".
        p, nodes = quorum_of(self.cluster.node(1), 2)
        now_ms = int(time.time() * 1000)
        for v in p["voters"]:
            self.assertGreater(v["last_fetch"], 0, v)
            self.assertGreater(v["last_caught_up"], 0, v)
            self.assertLessEqual(v["last_caught_up"], v["last_fetch"], v)
            self.assertLessEqual(v["last_fetch"], now_ms + 1000, v)
            self.assertEqual(v["directory_id"], bytes(16))
        lead = voter(p, self.leader)
        self.assertEqual(lead["last_fetch"], lead["last_caught_up"])
        # v2 names each voter's Kafka listener.
        self.assertEqual(nodes, {n.node_id: [("PLAINTEXT", "127.0.0.1", n.kafka_port)] for n in self.cluster.nodes})
        # v0 has no times, v0-v1 no nodes: the parser above read exactly the bytes sent.
        self.assertNotIn("last_fetch", quorum_of(self.cluster.node(2), 0)[0]["voters"][0])

    def test_c_another_topic_or_partition_is_unknown(self):
        node = self.cluster.node(1)
        for topics in ((("other", (0,)),), ((METADATA_TOPIC, (1,)),), ((METADATA_TOPIC, (0, 1)),)):
            resp = describe_quorum(node, 2, topics)
            self.assertEqual(resp["error"], NONE)
            asked = [(name, list(parts)) for name, parts in topics]
            self.assertEqual([(name, [p["index"] for p in parts]) for name, parts in resp["topics"]], asked)
            for _, parts in resp["topics"]:
                for p in parts:
                    self.assertEqual(p["error"], UNKNOWN_TOPIC_OR_PARTITION, p)
                    self.assertIn(METADATA_TOPIC, p["message"])

    def test_z_a_killed_followers_times_stop_and_its_lag_grows(self):
        followers = [n for n in self.cluster.nodes if n.node_id != self.leader]
        killed, other = followers
        killed.kill9()
        # Once the other follower has answered after the killed one's last answer, whatever the
        # killed one sent before dying has been taken.
        def heard_after(p):
            return voter(p, other.node_id)["last_fetch"] > voter(p, killed.node_id)["last_fetch"]
        poll("the other follower heard after the killed one", lambda: heard_after(quorum_of(other)[0]))
        before, _ = quorum_of(other)
        gone = voter(before, killed.node_id)
        # Metadata changes committed by the two that remain.
        admin = AdminClient({"bootstrap.servers": other.bootstrap})
        for f in admin.create_topics([NewTopic("quorum-%d" % i, 1, 1) for i in range(3)]).values():
            f.result(30)
        after = poll("the other follower heard from again and the HW moved", lambda: (
            lambda p: p if (voter(p, other.node_id)["last_fetch"] > voter(before, other.node_id)["last_fetch"]
                            and p["hw"] > before["hw"]) else None)(quorum_of(other)[0]))
        now_gone = voter(after, killed.node_id)
        self.assertEqual((now_gone["last_fetch"], now_gone["last_caught_up"], now_gone["log_end_offset"]),
                         (gone["last_fetch"], gone["last_caught_up"], gone["log_end_offset"]))
        self.assertGreater(after["hw"] - now_gone["log_end_offset"], before["hw"] - gone["log_end_offset"])
        self.assertGreaterEqual(voter(after, other.node_id)["log_end_offset"], after["hw"])
        self.assertEqual(after["leader"], self.leader)
        # Every node still alive answers the same.
        for n in self.alive():
            self.assertEqual(quorum_of(n)[0]["leader"], self.leader)


if __name__ == "__main__":
    unittest.main()
