"""Partition replication (issue #15, "What clients see" and "Proof") on real skiffd processes with
real clients: topics of replication factor 3 and min.insync.replicas 2, and a broker session
timeout of 1.5 s so that a dead broker is fenced quickly.

- Metadata (Metadata v7 through kafka-python's protocol layer, confluent-kafka and kcat) names 3
  replicas, an ISR of 3, a leader and its leader epoch, and the ISR is true: every replica holds
  what acks=all acknowledged.
- kill -9 of the partition leader under an idempotent acks=all stream: a new leader is named, no
  acknowledged record is lost or stored twice, and once the killed node is back in the ISR the three
  replicas' logs are identical below the high watermark.
- Both followers paused (replica.lag.time.max.ms 2 s): acks=all is refused with NOT_ENOUGH_REPLICAS
  and nothing is appended, acks=1 still works, and acks=all works again once they are back. This
  one runs 5 nodes: every node is a metadata voter, so pausing 2 of 3 would stop the metadata quorum
  through which the ISR shrinks.
- A full-cluster restart mid-stream: the same producer instance goes on, nothing lost or doubled.
- Produce and Fetch sent to a follower are answered NOT_LEADER_OR_FOLLOWER.

Every scenario ends with the replica check: each replica's segment files, read here header by header
(batch_headers.py), hold the same batches (offsets, CRC, leader epoch) below the high watermark.
Times are printed, and asserted only with loose bounds (speed lives in benchmarks).
"""
import json
import signal
import time
import unittest

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from batch_headers import log_end, partition_dir, read_batches, replica_differences
from harness import SkiffCluster, kcat
from replicas import missing_keys, partition_states, wait_isr, wait_state
from streams import AckedStream, acknowledgement_problems
from test_partition_storage import fetch_error, produce_error

NOT_LEADER_OR_FOLLOWER = 6
NOT_ENOUGH_REPLICAS = 19
SESSION_TIMEOUT_MS = 1500
LAG_TIME_MAX_MS = 2000
TOPIC = "replicated"


def bootstrap(nodes):
    return ",".join(n.bootstrap for n in nodes)


def running(cluster):
    return [n for n in cluster.nodes if n.proc is not None and n.proc.poll() is None]


def high_watermark(node, topic, partition):
    """The high watermark as the partition's leader answers ListOffsets(latest) through `node`."""
    c = Consumer({"bootstrap.servers": node.bootstrap, "group.id": "e2e-hw"})
    try:
        return c.get_watermark_offsets(TopicPartition(topic, partition), timeout=15)[1]
    finally:
        c.close()


class ReplicatedCluster:
    """What the replication tests share (test_replication_faults.py too): a cluster with a short
    session timeout, a topic of replication factor 3, and the checks of replicas and acknowledgements."""

    def start_cluster(self, size=3, extra=()):
        cluster = SkiffCluster(size, extra_args=["--broker-session-timeout-ms", str(SESSION_TIMEOUT_MS)] + list(extra))
        self.addCleanup(cluster.close)
        cluster.start()
        cluster.wait_leader()
        return cluster

    def create_topic(self, cluster, partitions=1, topic=TOPIC):
        """A topic of replication factor 3 and min.insync.replicas 2; returns partition 0's state once
        its ISR is all three replicas."""
        admin = AdminClient({"bootstrap.servers": bootstrap(cluster.nodes)})
        admin.create_topics([NewTopic(topic, partitions, 3, config={"min.insync.replicas": "2"})])[topic].result(30)
        state = wait_state(cluster.nodes, topic, 0, lambda s: len(s.replicas) == 3, "3 replicas", 10)
        return wait_isr(cluster.nodes, topic, 0, state.replicas, timeout=30)

    def assert_replicas_identical(self, cluster, state, topic=TOPIC, partition=0):
        """The replica check: waits until the ISR is all replicas again, then compares every
        replica's segment files below the leader's high watermark."""
        state = wait_isr(running(cluster), topic, partition, state.replicas, timeout=60)
        leader = cluster.node(state.leader)
        hw = high_watermark(leader, topic, partition)
        self.assertGreater(hw, 0, "the high watermark of %s-%d is 0: nothing was replicated" % (topic, partition))
        logs = {"node %d%s" % (i, " (leader)" if i == state.leader else ""):
                read_batches(partition_dir(cluster.node(i).data_dir, topic, partition)) for i in state.replicas}
        for name, batches in sorted(logs.items()):
            print("  %s: %d batches, log end %d, last epoch %s" % (
                name, len(batches), log_end(batches), batches[-1].leader_epoch if batches else "-"))
        problems = replica_differences(logs, hw)
        if problems:
            self.fail("replica logs of %s-%d below the high watermark %d: %s" % (topic, partition, hw, "; ".join(problems)))

    def assert_no_failures(self, stream, when):
        if stream.fatal:
            self.fail("the idempotent producer hit a fatal error %s: %s" % (when, stream.fatal[0]))
        if stream.failed:
            self.fail("%d deliveries failed %s (librdkafka retries retriable errors), the first: %s %s" % (
                len(stream.failed), when, *stream.failed[0]))

    def check_acknowledged(self, stream, nodes, partitions=(0,), duplicates_allowed=False):
        problems, read = acknowledgement_problems(stream, bootstrap(nodes), TOPIC, list(partitions), duplicates_allowed)
        print("  %d acknowledged, %d failed deliveries, %d records read back" % (len(stream.acked), len(stream.failed), read))
        if problems:
            self.fail("; ".join(problems))


class ReplicationTest(ReplicatedCluster, unittest.TestCase):
    # ---- a. Metadata ------------------------------------------------------------------------------

    def test_metadata_names_three_replicas_an_isr_of_three_and_the_leader_epoch(self):
        cluster = self.start_cluster()
        state = self.create_topic(cluster, partitions=3)
        views = {}
        for n in cluster.nodes:
            states = partition_states(n, TOPIC)
            self.assertIsNotNone(states, "node %d answers Metadata v7 for %s" % (n.node_id, TOPIC))
            md = AdminClient({"bootstrap.servers": n.bootstrap}).list_topics(TOPIC, timeout=10).topics[TOPIC]
            listed = kcat("-b", n.bootstrap, "-L", "-J", "-t", TOPIC, timeout=30)
            self.assertEqual(listed.returncode, 0, listed.stderr)
            by_kcat = {p["partition"]: p for p in json.loads(listed.stdout)["topics"][0]["partitions"]}
            for p, s in sorted(states.items()):
                self.assertEqual((s.error, s.replicas, s.isr, s.offline), (0, [1, 2, 3], [1, 2, 3], []),
                                 "node %d, partition %d" % (n.node_id, p))
                self.assertIn(s.leader, s.replicas, "node %d, partition %d" % (n.node_id, p))
                self.assertGreaterEqual(s.leader_epoch, 0, "node %d, partition %d: a leader epoch" % (n.node_id, p))
                # librdkafka (confluent-kafka, kcat) reads the same Metadata (an older version, no epoch).
                self.assertEqual((md.partitions[p].leader, sorted(md.partitions[p].replicas), sorted(md.partitions[p].isrs)),
                                 (s.leader, s.replicas, s.isr), "node %d, partition %d, confluent-kafka" % (n.node_id, p))
                k = by_kcat[p]
                self.assertEqual((k["leader"], sorted(r["id"] for r in k["replicas"]), sorted(r["id"] for r in k["isrs"])),
                                 (s.leader, s.replicas, s.isr), "node %d, partition %d, kcat -L" % (n.node_id, p))
            views[n.node_id] = {p: (s.leader, s.leader_epoch) for p, s in states.items()}
        print("  (leader, leader epoch) per partition: %s" % views[1])
        self.assertEqual(len(set(map(str, views.values()))), 1, "every node names the same leaders and epochs: %s" % views)

        # An ISR of 3 is a claim about data: every member holds what acks=all acknowledged.
        p = Producer({"bootstrap.servers": bootstrap(cluster.nodes), "acks": "all", "enable.idempotence": True,
                      "linger.ms": 5, "message.timeout.ms": 30000})
        for i in range(300):
            p.produce(TOPIC, b"m-%d" % i, partition=0)
        self.assertEqual(p.flush(30), 0, "300 acks=all records answered")
        self.assert_replicas_identical(cluster, state)

    # ---- b. kill -9 of the leader -----------------------------------------------------------------

    def test_kill_9_of_the_leader_mid_stream_loses_no_acknowledged_record(self):
        cluster = self.start_cluster()
        state = self.create_topic(cluster)
        stream = AckedStream(bootstrap(cluster.nodes), TOPIC).start()
        try:
            stream.wait_acked(400, 30, "before the kill")
            old = cluster.node(state.leader)
            old.kill9()
            killed_at = time.monotonic()
            survivors = running(cluster)
            new = wait_state(survivors, TOPIC, 0, lambda s: s.leader > 0 and s.leader != old.node_id,
                             "new leader after kill -9 of leader %d" % old.node_id, 15)
            took = time.monotonic() - killed_at
            print("  leader %d killed: node %d leads (epoch %d -> %d) after %.0f ms; ISR %s" % (
                old.node_id, new.leader, state.leader_epoch, new.leader_epoch, took * 1000, new.isr))
            self.assertGreater(new.leader_epoch, state.leader_epoch, "a new leader has a new leader epoch")
            self.assertNotIn(old.node_id, new.isr, "the dead broker left the ISR")
            resumed = stream.wait_acked(400, 30, "after the new leader was named")
            print("  the stream went on %.0f ms after the new leader was named" % (resumed * 1000))
            self.assertEqual(stream.stop(60), 0, "every record sent was answered")
        finally:
            stream.abort()
        self.assert_no_failures(stream, "through the failover")
        self.check_acknowledged(stream, survivors)

        old.start()
        self.assert_replicas_identical(cluster, state)

    # ---- c. both followers paused ------------------------------------------------------------------

    def test_both_followers_paused_refuse_acks_all_and_append_nothing(self):
        missing = missing_keys("replica.lag.time.max.ms")
        if missing:
            self.fail("skiffd has no config key %s: partition replication (#15) is not in this binary" % ", ".join(missing))
        # Five nodes: with every node a metadata voter, pausing two of three would stop the metadata
        # quorum itself, and the ISR could not shrink through it. Here three of five stay up.
        cluster = self.start_cluster(5, extra=["--replica-lag-time-max-ms", str(LAG_TIME_MAX_MS)])
        state = self.create_topic(cluster)
        leader = cluster.node(state.leader)
        followers = [cluster.node(i) for i in state.replicas if i != state.leader]
        self.addCleanup(lambda: [f.proc.send_signal(signal.SIGCONT) for f in followers if f.proc.poll() is None])
        warm = Producer({"bootstrap.servers": leader.bootstrap, "acks": "all", "linger.ms": 5})
        for i in range(50):
            warm.produce(TOPIC, b"warm-%d" % i)
        self.assertEqual(warm.flush(30), 0, "acks=all works while all three replicas are up")

        for f in followers:
            f.proc.send_signal(signal.SIGSTOP)
        paused_at = time.monotonic()
        up = [n for n in cluster.nodes if n not in followers]
        shrunk = wait_state(up, TOPIC, 0, lambda s: s.isr == [leader.node_id],
                            "ISR of the leader alone after pausing followers %s" % [f.node_id for f in followers],
                            (LAG_TIME_MAX_MS + SESSION_TIMEOUT_MS) / 1000 + 10)
        print("  followers %s paused: ISR %s after %.0f ms" % (
            [f.node_id for f in followers], shrunk.isr, (time.monotonic() - paused_at) * 1000))

        leader_dir = partition_dir(leader.data_dir, TOPIC, 0)
        before = log_end(read_batches(leader_dir))
        codes = []
        refused = Producer({"bootstrap.servers": leader.bootstrap, "acks": "all", "retries": 0,
                            "enable.idempotence": False, "linger.ms": 0, "message.timeout.ms": 20000})
        for i in range(5):
            refused.produce(TOPIC, b"refused-%d" % i, on_delivery=lambda err, msg: codes.append(err.code() if err else 0))
            refused.flush(20)
        self.assertEqual(codes, [NOT_ENOUGH_REPLICAS] * 5, "acks=all with an ISR of 1 < min.insync.replicas 2 "
                         "(codes: 19 NOT_ENOUGH_REPLICAS, 0 success)")
        self.assertEqual(log_end(read_batches(leader_dir)), before, "nothing refused was appended to the leader's log")

        one = Producer({"bootstrap.servers": leader.bootstrap, "acks": 1, "linger.ms": 0})
        offsets = []
        for i in range(5):
            one.produce(TOPIC, b"acks1-%d" % i, on_delivery=lambda err, msg: offsets.append(msg.offset() if not err else err.str()))
        self.assertEqual(one.flush(20), 0)
        self.assertEqual(offsets, list(range(before, before + 5)), "acks=1 is answered by the leader alone")

        for f in followers:
            f.proc.send_signal(signal.SIGCONT)
        wait_isr(cluster.nodes, TOPIC, 0, state.replicas, timeout=30)
        again = Producer({"bootstrap.servers": leader.bootstrap, "acks": "all", "linger.ms": 0, "message.timeout.ms": 30000})
        results = []
        for i in range(5):
            again.produce(TOPIC, b"again-%d" % i, on_delivery=lambda err, msg: results.append(err.code() if err else 0))
        self.assertEqual(again.flush(30), 0)
        self.assertEqual(results, [0] * 5, "acks=all works again once the followers are back in the ISR")
        self.assert_replicas_identical(cluster, state)

    # ---- d. full-cluster restart -------------------------------------------------------------------

    def test_full_cluster_restart_mid_stream_one_producer_goes_on(self):
        cluster = self.start_cluster()
        state = self.create_topic(cluster)
        stream = AckedStream(bootstrap(cluster.nodes), TOPIC, config={"message.timeout.ms": 120000}).start()
        try:
            stream.wait_acked(400, 30, "before the restart")
            for n in cluster.nodes:
                n.proc.send_signal(signal.SIGTERM)
            stopped_at = time.monotonic()
            for n in cluster.nodes:
                code = n.stop(timeout=30)
                self.assertEqual(code, 0, "node %d exits cleanly on SIGTERM" % n.node_id)
            print("  all three stopped after %.0f ms" % ((time.monotonic() - stopped_at) * 1000))
            cluster.start(wait=False)
            cluster.wait_all_ready(timeout=60)
            resumed = stream.wait_acked(400, 60, "after the restart")
            print("  the stream went on %.0f ms after all three were ready" % (resumed * 1000))
            self.assertEqual(stream.stop(60), 0, "every record sent was answered")
        finally:
            stream.abort()
        self.assert_no_failures(stream, "across the restart")
        self.check_acknowledged(stream, cluster.nodes)
        self.assert_replicas_identical(cluster, state)

    # ---- e. requests sent to a follower ------------------------------------------------------------

    def test_produce_and_fetch_on_a_follower_get_not_leader_or_follower(self):
        cluster = self.start_cluster()
        state = self.create_topic(cluster)
        leader = cluster.node(state.leader)
        # The same requests are good ones: the leader takes them.
        self.assertEqual(produce_error(leader, TOPIC, 0), 0, "Produce v7 acks=-1 to the leader")
        self.assertEqual(fetch_error(leader, TOPIC, 0), 0, "Fetch v11 to the leader")
        for i in state.replicas:
            if i == state.leader:
                continue
            follower = cluster.node(i)
            self.assertEqual(produce_error(follower, TOPIC, 0), NOT_LEADER_OR_FOLLOWER, "Produce to follower %d" % i)
            self.assertEqual(fetch_error(follower, TOPIC, 0), NOT_LEADER_OR_FOLLOWER, "consumer Fetch from follower %d" % i)
        self.assert_replicas_identical(cluster, state)


if __name__ == "__main__":
    unittest.main()
