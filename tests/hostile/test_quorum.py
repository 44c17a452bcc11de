"""Frames a faulty or hostile peer sends to a raft port must never stop the metadata quorum.

Each case here once stopped every node of a 3-node cluster for good (issue #12): a NOOP entry with
data proposed by an unknown node was committed and refused at apply by every node, at every
restart; a heartbeat with term 2^64-1 made every node abort (the pre-vote term wrapped to 0), and
the term was persisted; any process could propose commands or speak for another node; any node
could join. The frames are built here (peer_wire.py) and sent to real skiffd processes."""
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from harness import SkiffCluster, SkiffNode, http_get, run_skiffd  # noqa: E402
import peer_wire as wire  # noqa: E402

CLUSTER = "skiff-local"   # skiffd's default cluster.id


def poll(what, fn, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = fn()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


class HostileQuorumTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = SkiffCluster(3).start()

    @classmethod
    def tearDownClass(cls):
        cls.cluster.close()

    def leader(self):
        return self.cluster.node(self.cluster.wait_leader())

    def follower_id(self, leader):
        return next(n.node_id for n in self.cluster.nodes if n.node_id != leader.node_id)

    def assert_cluster_serves(self):
        """Every node alive and ready, one leader agreed, and a new topic committed everywhere."""
        for n in self.cluster.nodes:
            self.assertIsNone(n.proc.poll(), "node %d exited:\n%s" % (n.node_id, n.log()[-3000:]))
        self.cluster.wait_all_ready(timeout=20)
        self.cluster.wait_leader()
        for n in self.cluster.nodes:
            st = http_get(n.http_port, "/status")[1]
            self.assertEqual(st["startup_state"], "ready", st)

    def term(self, node):
        return http_get(node.http_port, "/status")[1]["term"]

    def wait_refusal(self, node, text):
        poll("'%s' in node %d's log" % (text, node.node_id), lambda: text in node.log())

    def test_a_node_that_is_not_a_member_is_refused_at_the_handshake(self):
        leader = self.leader()
        with wire.PeerLink(leader.raft_port, CLUSTER, from_node=99, to_node=leader.node_id) as link:
            self.assertFalse(link.accepted)
            self.assertIn("node 99 is not a member of this cluster (voters 1,2,3)", link.error)
            self.assertIn("skiffctl add-node 99", link.error)
        self.wait_refusal(leader, "node 99 is not a member of this cluster")
        self.assert_cluster_serves()

    def test_a_proposal_that_could_not_be_applied_never_enters_the_log(self):
        before = http_get(self.leader().http_port, "/status")[1]["commit"]
        poison = [wire.entry(type_=wire.ENTRY_NOOP, data=b"\x01\x02\x03\x04\x05\x06"),
                  wire.entry(data=b"\xff\xfe garbage"), wire.entry(type_=9)]
        refusals = ["type 3 cannot be proposed", "not a metadata command this build knows", "type 9 cannot be proposed"]
        # Only the leader judges a proposal; a node that lost leadership meanwhile forwards it to the
        # new one (or drops it while there is none), so each is sent until some node has refused it.
        deadline = time.monotonic() + 20
        for entry, refusal in zip(poison, refusals):
            while not any(refusal in n.log() for n in self.cluster.nodes):
                self.assertLess(time.monotonic(), deadline, "no node logged '%s'" % refusal)
                leader = self.leader()
                member = self.follower_id(leader)
                # Without TLS a member's id can be claimed; what it proposes is still checked.
                with wire.PeerLink(leader.raft_port, CLUSTER, from_node=member, to_node=leader.node_id) as link:
                    self.assertTrue(link.accepted, link.error)
                    link.send(wire.raft(wire.MSG_PROP, leader.node_id, member, entries=[entry]))
                    poll_until = time.monotonic() + 3
                    while time.monotonic() < poll_until and not any(refusal in n.log() for n in self.cluster.nodes):
                        time.sleep(0.05)
        self.assert_cluster_serves()
        # The quorum still commits, and a full restart comes back (the old failure: exit 1 forever).
        self.assertGreaterEqual(http_get(self.leader().http_port, "/status")[1]["commit"], before)
        for n in self.cluster.nodes:
            n.stop()
        self.cluster.start(timeout=30)
        self.assert_cluster_serves()

    def test_a_term_that_cannot_be_used_is_refused_not_aborted_on(self):
        leader = self.leader()
        member = self.follower_id(leader)
        target = self.cluster.node(member)
        other = next(n.node_id for n in self.cluster.nodes if n.node_id not in (member, leader.node_id))
        term_before = self.term(target)
        with wire.PeerLink(target.raft_port, CLUSTER, from_node=other, to_node=member) as link:
            self.assertTrue(link.accepted, link.error)
            for term in (2**64 - 1, 2**64 - 2, 2**62 + 1):
                link.send(wire.raft(wire.MSG_HEARTBEAT, member, other, term=term))
            link.send(wire.raft(wire.MSG_PRE_VOTE, member, other, term=term_before + 1, log_term=2**64 - 1,
                                index=2**64 - 1))
            self.wait_refusal(target, "beyond the largest usable value")
        time.sleep(1.5)   # several election timeouts: the old failure aborted on the next campaign
        self.assert_cluster_serves()
        self.assertLess(self.term(target), 2**62)
        target.stop()
        target.start()
        self.assert_cluster_serves()

    def test_a_message_speaking_for_another_node_is_refused(self):
        leader = self.leader()
        member = self.follower_id(leader)
        other = next(n.node_id for n in self.cluster.nodes if n.node_id not in (member, leader.node_id))
        term_before = self.term(leader)
        with wire.PeerLink(leader.raft_port, CLUSTER, from_node=member, to_node=leader.node_id) as link:
            self.assertTrue(link.accepted, link.error)
            # A raised term in another node's name would depose the leader.
            link.send(wire.raft(wire.MSG_HEARTBEAT, leader.node_id, other, term=term_before + 50))
            link.send(wire.join_request(77, "127.0.0.1:1"))
            self.wait_refusal(leader, "a raft message from node %d arrived on the link of node %d" % (other, member))
            self.wait_refusal(leader, "a join request for node 77 arrived on the link of node %d" % member)
        self.assertLess(self.term(leader), term_before + 50)
        self.assert_cluster_serves()
        voters = sorted(http_get(leader.http_port, "/status")[1]["voters"])
        self.assertEqual(voters, [1, 2, 3])

    def test_joining_needs_the_cluster_join_token(self):
        leader = self.leader()
        # No cluster.join.token on the members: a --join node is refused and says why.
        joiner = SkiffNode(node_id=4, extra_args=["--join", "127.0.0.1:%d" % leader.raft_port,
                                                  "--cluster-join-token", "guess"])
        try:
            joiner.start(wait=False)
            self.wait_refusal(joiner, "no cluster.join.token is set here")
            self.wait_refusal(leader, "node 4 is not a member of this cluster")
            time.sleep(1)
            self.assertEqual(sorted(http_get(leader.http_port, "/status")[1]["voters"]), [1, 2, 3])
            self.assertEqual(http_get(leader.http_port, "/status")[1].get("learners", []), [])
        finally:
            joiner.close()
        self.assert_cluster_serves()


class JoinTokenTest(unittest.TestCase):
    def test_a_wrong_token_is_refused_and_the_right_one_admits(self):
        with SkiffCluster(3, extra_args=["--cluster-join-token", "right-token"]) as cluster:
            leader = cluster.node(cluster.wait_leader())
            with wire.PeerLink(leader.raft_port, CLUSTER, from_node=98, join_token="wrong-token") as link:
                self.assertFalse(link.accepted)
                self.assertIn("presented a wrong cluster.join.token", link.error)
            self.assertNotIn("right-token", leader.log())   # the secret is never logged
            joiner = SkiffNode(node_id=4, extra_args=["--join", "127.0.0.1:%d" % leader.raft_port,
                                                      "--cluster-join-token", "right-token"])
            try:
                joiner.start(wait=False)
                poll("node 4 ready", lambda: http_get(joiner.http_port, "/ready")[0] == 200, timeout=60)
                poll("node 4 a voter", lambda: 4 in http_get(leader.http_port, "/status")[1]["voters"], timeout=30)
            finally:
                joiner.close()


class DataDirIdentityTest(unittest.TestCase):
    def test_another_nodes_data_dir_is_refused_with_both_ids(self):
        with SkiffNode(node_id=1) as node:
            data_dir = node.data_dir
            node.stop()
            with open(os.path.join(data_dir, "meta.properties")) as f:
                self.assertIn("node.id=1\n", f.read())
            r = run_skiffd(["--node-id", "2", "--data-dir", data_dir, "--kafka-listen", "127.0.0.1:1",
                            "--raft-listen", "127.0.0.1:2", "--admin-listen", "127.0.0.1:3", "--http-listen",
                            "127.0.0.1:4"])
            self.assertEqual(r.returncode, 2, r.stderr)
            lines = r.stderr.strip().splitlines()
            self.assertEqual(len(lines), 1, r.stderr)
            self.assertIn("belongs to node 1 of cluster 'skiff-local'", lines[0])
            self.assertIn("but this is node 2 of cluster 'skiff-local'", lines[0])
            r = run_skiffd(["--cluster-id", "other", "--data-dir", data_dir, "--kafka-listen", "127.0.0.1:1",
                            "--raft-listen", "127.0.0.1:2", "--admin-listen", "127.0.0.1:3", "--http-listen",
                            "127.0.0.1:4"])
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("but this is node 1 of cluster 'other'", r.stderr)
            node.start()   # its owner still starts


if __name__ == "__main__":
    unittest.main()
