"""What clients see of partition leadership (issue #15) on real skiffd processes with real clients:
3 nodes, topics of replication factor 3 and min.insync.replicas 2, a broker session timeout of 1.5 s.

- Controlled shutdown: SIGTERM to the leader under an idempotent acks=all confluent-kafka stream.
  Its leaderships move before it exits (its log says so), it exits 0 within 10 s, the producer sees
  no failed delivery, every acknowledged record is read back, and the replicas are identical.
- The preferred leader returns: the node restarted, the automatic rebalance
  (leader.imbalance.check.interval.seconds 2) makes replicas[0] lead again within a few intervals,
  with no acknowledged record lost during the transfer.
- ElectLeaders (key 43) by hand-encoded request (no installed client offers it: confluent-kafka 1.7
  and 2.0.2, kafka-python 2.0.2 lack it) and `skiffctl elect-leaders`: a partition whose preferred
  leader does not lead is moved; asking again answers ELECTION_NOT_NEEDED.
"""
import os
import subprocess
import time
import unittest

from confluent_kafka.admin import AdminClient, NewTopic
from kafka.protocol.api import Request, Response
from kafka.protocol.types import Array, Int8, Int16, Int32, Schema, String

from batch_headers import log_end, partition_dir, read_batches, replica_differences
from harness import SkiffCluster
from replicas import MetadataRequest_v7, wait_isr, wait_state
from streams import AckedStream, acknowledgement_problems
from test_partition_storage import kafka_request
from test_replication import high_watermark

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
TOKEN = "e2e-leadership-token"
SESSION_TIMEOUT_MS = 1500
TOPIC = "leadership"
NONE, UNKNOWN_TOPIC_OR_PARTITION, ELECTION_NOT_NEEDED = 0, 3, 84


class ElectLeadersResponse_v1(Response):
    API_KEY = 43
    API_VERSION = 1
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("error_code", Int16),
        ("results", Array(("topic", String("utf-8")),
                          ("partitions", Array(("partition", Int32), ("error_code", Int16),
                                               ("error_message", String("utf-8")))))))


class ElectLeadersRequest_v1(Request):
    """Kafka's ElectLeaders v1 (election type 0: preferred; 1: unclean)."""
    API_KEY = 43
    API_VERSION = 1
    RESPONSE_TYPE = ElectLeadersResponse_v1
    SCHEMA = Schema(("election_type", Int8),
                    ("topic_partitions", Array(("topic", String("utf-8")), ("partitions", Array(Int32)))),
                    ("timeout_ms", Int32))


def bootstrap(nodes):
    return ",".join(n.bootstrap for n in nodes)


def running(cluster):
    return [n for n in cluster.nodes if n.proc is not None and n.proc.poll() is None]


def preferred_replicas(node, topic):
    """{partition: replicas[0]} as Metadata lists the replicas, in their assignment order."""
    response = kafka_request(node, MetadataRequest_v7(topics=[topic], allow_auto_topic_creation=False))
    (t,) = response.topics
    return {p[1]: p[4][0] for p in t[3]}


def elect_leaders(node, topic, partitions):
    """{partition: (error code, message)} of a preferred ElectLeaders v1 sent to `node`."""
    response = kafka_request(node, ElectLeadersRequest_v1(election_type=0, topic_partitions=[(topic, partitions)],
                                                         timeout_ms=30000))
    if response.error_code != 0:
        raise AssertionError("ElectLeaders answered top-level error %d" % response.error_code)
    return {p[0]: (p[1], p[2]) for t in response.results if t[0] == topic for p in t[1]}


def skiffctl(node, *args, token=TOKEN):
    token_args = ["--token", token] if token else []
    return subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port] + token_args + list(args),
                          capture_output=True, text=True, timeout=60)


class LeadershipTest(unittest.TestCase):
    def start_cluster(self, extra=()):
        cluster = SkiffCluster(3, extra_args=["--broker-session-timeout-ms", str(SESSION_TIMEOUT_MS),
                                              "--admin-token", TOKEN] + list(extra))
        self.addCleanup(cluster.close)
        cluster.start()
        cluster.wait_leader()
        return cluster

    def create_topic(self, cluster, partitions=1):
        """A topic of replication factor 3, min.insync.replicas 2; waits until every partition has an
        ISR of all three replicas, led by its preferred replica."""
        admin = AdminClient({"bootstrap.servers": bootstrap(cluster.nodes)})
        admin.create_topics([NewTopic(TOPIC, partitions, 3, config={"min.insync.replicas": "2"})])[TOPIC].result(30)
        for p in range(partitions):
            wait_state(cluster.nodes, TOPIC, p, lambda s: len(s.replicas) == 3, "3 replicas", 10)
            wait_isr(cluster.nodes, TOPIC, p, [1, 2, 3], timeout=30)
        preferred = preferred_replicas(cluster.nodes[0], TOPIC)
        for p in range(partitions):
            wait_state(cluster.nodes, TOPIC, p, lambda s, p=p: s.leader == preferred[p], "leader %d" % preferred[p], 10)
        return preferred

    def move_away_and_back(self, cluster, node_id, partition):
        """SIGTERM of node_id (partition's preferred replica), then its restart: the partition ends
        up with a full ISR led by another replica."""
        node = cluster.node(node_id)
        self.assertEqual(node.stop(30), 0, "node %d exits 0 on SIGTERM" % node_id)
        wait_state(running(cluster), TOPIC, partition, lambda s: s.leader not in (0, node_id),
                   "a leader other than %d" % node_id, 15)
        node.start()
        return wait_isr(cluster.nodes, TOPIC, partition, [1, 2, 3], timeout=60)

    def assert_replicas_identical(self, cluster, partition=0):
        """Every replica's segment files hold the same batches below the leader's high watermark."""
        state = wait_isr(cluster.nodes, TOPIC, partition, [1, 2, 3], timeout=60)
        hw = high_watermark(cluster.node(state.leader), TOPIC, partition)
        self.assertGreater(hw, 0, "nothing was replicated")
        logs = {"node %d" % i: read_batches(partition_dir(cluster.node(i).data_dir, TOPIC, partition)) for i in (1, 2, 3)}
        for name, batches in sorted(logs.items()):
            print("  %s: %d batches, log end %d" % (name, len(batches), log_end(batches)))
        problems = replica_differences(logs, hw)
        self.assertEqual(problems, [], "replica logs below the high watermark %d" % hw)

    # ---- a and b. controlled shutdown, then the preferred leader returns ---------------------------

    def test_controlled_shutdown_moves_leadership_first_and_the_preferred_leader_returns(self):
        cluster = self.start_cluster(extra=["--leader-imbalance-check-interval-seconds", "2"])
        preferred = self.create_topic(cluster)[0]
        leader = cluster.node(preferred)
        stream = AckedStream(bootstrap(cluster.nodes), TOPIC).start()
        try:
            stream.wait_acked(400, 30, "before the shutdown")
            stopping_at = time.monotonic()
            self.assertEqual(leader.stop(10), 0, "the leader exits 0 within 10 s of SIGTERM")
            took = time.monotonic() - stopping_at
            log = leader.log()
            self.assertIn("controlled shutdown: this broker leads no partition any more", log)
            others = running(cluster)
            moved = wait_state(others, TOPIC, 0, lambda s: s.leader not in (0, preferred),
                               "a leader other than %d" % preferred, 10)
            print("  node %d stopped in %.0f ms; node %d leads (epoch %d)" % (preferred, took * 1000, moved.leader,
                                                                             moved.leader_epoch))
            stream.wait_acked(400, 30, "after the shutdown")

            # b. The preferred replica comes back, catches up, and leads again by the rebalance.
            leader.start()
            wait_isr(cluster.nodes, TOPIC, 0, [1, 2, 3], timeout=60)
            back_at = time.monotonic()
            returned = wait_state(cluster.nodes, TOPIC, 0, lambda s: s.leader == preferred,
                                  "the preferred leader %d back" % preferred, 20)
            print("  node %d leads again (epoch %d) %.0f ms after rejoining the ISR" % (
                preferred, returned.leader_epoch, (time.monotonic() - back_at) * 1000))
            self.assertTrue(any("leader rebalance: electing the preferred leader of" in n.log() for n in cluster.nodes),
                            "the controller's log names the rebalance")
            stream.wait_acked(400, 30, "after the preferred leader returned")
            self.assertEqual(stream.stop(60), 0, "every record sent was answered")
        finally:
            stream.abort()
        if stream.fatal:
            self.fail("the idempotent producer hit a fatal error: %s" % stream.fatal[0])
        self.assertEqual(stream.failed, [], "no delivery failed through the shutdown and the return")
        problems, read = acknowledgement_problems(stream, bootstrap(cluster.nodes), TOPIC, [0])
        print("  %d acknowledged, %d records read back" % (len(stream.acked), read))
        self.assertEqual(problems, [])
        self.assert_replicas_identical(cluster)

    # ---- c. ElectLeaders by request and by skiffctl ------------------------------------------------

    def test_elect_leaders_moves_the_preferred_leader_back_once(self):
        cluster = self.start_cluster()   # the rebalance's default interval (300 s) stays out of the way
        preferred = self.create_topic(cluster)[0]

        # The Kafka API.
        state = self.move_away_and_back(cluster, preferred, 0)
        self.assertNotEqual(state.leader, preferred)
        node = cluster.node(state.leader)
        self.assertEqual(elect_leaders(node, TOPIC, [0, 7]),
                         {0: (NONE, None), 7: (UNKNOWN_TOPIC_OR_PARTITION, "%s-7 does not exist" % TOPIC)})
        after = wait_state(cluster.nodes, TOPIC, 0, lambda s: s.leader == preferred, "leader %d" % preferred, 10)
        self.assertGreater(after.leader_epoch, state.leader_epoch)
        again = elect_leaders(cluster.node(preferred), TOPIC, [0])
        self.assertEqual(again[0][0], ELECTION_NOT_NEEDED, again)

        # skiffctl: a mutation, so the token is needed.
        state = self.move_away_and_back(cluster, preferred, 0)
        node = cluster.node(state.leader)
        refused = skiffctl(node, "elect-leaders", TOPIC + ":0", token=None)
        self.assertEqual(refused.returncode, 4, refused.stdout + refused.stderr)
        self.assertIn("admin.token", refused.stderr)
        done = skiffctl(node, "elect-leaders", TOPIC + ":0")
        self.assertEqual(done.returncode, 0, done.stderr)
        print("  " + done.stdout.strip().replace("\n", "\n  "))
        self.assertIn("%s-0 NONE" % TOPIC, done.stdout)
        wait_state(cluster.nodes, TOPIC, 0, lambda s: s.leader == preferred, "leader %d" % preferred, 10)
        again = skiffctl(node, "elect-leaders", TOPIC)
        self.assertEqual(again.returncode, 0, again.stderr)
        self.assertIn("%s-0 ELECTION_NOT_NEEDED" % TOPIC, again.stdout)


if __name__ == "__main__":
    unittest.main()
