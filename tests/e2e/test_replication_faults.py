"""Partition replication (issue #15, "Proof"): the failures test_replication.py does not cover, on
real skiffd processes with real clients, replication factor 3 and min.insync.replicas 2.

- A zombie leader: the partition leader is stopped (SIGSTOP) for twice the broker session timeout
  while an acks=all stream runs and raw acks=all Produce requests wait in its socket. A new leader
  serves meanwhile; after SIGCONT nothing the old leader answers as success is missing from the
  final log at the offset it named, no acknowledged record is lost, and its log is
  truncated to match the others (replica logs identical below the high watermark).
- __consumer_offsets (replication factor 3): a consumer group commits synchronously every 100
  records while the leader of its __consumer_offsets partition (the group's coordinator) is
  killed with kill -9 and restarted, four times. The committed offset never goes backwards and
  the group keeps consuming.
- KIP-320 on the wire: Fetch and ListOffsets with a current leader epoch older than the leader's are
  answered FENCED_LEADER_EPOCH, newer UNKNOWN_LEADER_EPOCH; OffsetForLeaderEpoch (key 23) answers
  where an epoch ended: after a leader change, the old epoch's end is where the new one began.

Times are printed and asserted only with loose bounds (speed lives in benchmarks).
"""
import signal
import socket
import threading
import time
import unittest

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from kafka.protocol.api import Request, Response
from kafka.protocol.commit import GroupCoordinatorRequest
from kafka.protocol.fetch import FetchRequest
from kafka.protocol.offset import OffsetResponse
from kafka.protocol.produce import ProduceRequest
from kafka.protocol.types import Array, Int8, Int16, Int32, Int64, Schema, String

from batch_headers import partition_dir, read_batches
from clients import consume_to_end
from replicas import partition_states, wait_isr, wait_state
from streams import AckedStream
from test_partition_storage import kafka_request, read_response, record_batch, request_frame
from test_replication import SESSION_TIMEOUT_MS, TOPIC, ReplicatedCluster, bootstrap, running

FENCED_LEADER_EPOCH = 74
UNKNOWN_LEADER_EPOCH = 75
OFFSETS_TOPIC = "__consumer_offsets"
OFFSETS_PARTITIONS = 12


# ---- raw requests kafka-python 2.0.2 cannot write ------------------------------------------------

class ListOffsetsRequest_v4(Request):
    """kafka-python's OffsetRequest_v4 writes current_leader_epoch as an int64; Kafka's is an int32."""
    API_KEY = 2
    API_VERSION = 4
    RESPONSE_TYPE = OffsetResponse[4]
    SCHEMA = Schema(
        ("replica_id", Int32), ("isolation_level", Int8),
        ("topics", Array(("topic", String("utf-8")),
                         ("partitions", Array(("partition", Int32), ("current_leader_epoch", Int32), ("timestamp", Int64))))))


class OffsetForLeaderEpochResponse_v2(Response):
    API_KEY = 23
    API_VERSION = 2
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("topics", Array(("topic", String("utf-8")),
                         ("partitions", Array(("error_code", Int16), ("partition", Int32), ("leader_epoch", Int32),
                                              ("end_offset", Int64))))))


class OffsetForLeaderEpochRequest_v2(Request):
    API_KEY = 23
    API_VERSION = 2
    RESPONSE_TYPE = OffsetForLeaderEpochResponse_v2
    SCHEMA = Schema(
        ("topics", Array(("topic", String("utf-8")),
                         ("partitions", Array(("partition", Int32), ("current_leader_epoch", Int32), ("leader_epoch", Int32))))))


def fetch_with_epoch(node, topic, partition, current_leader_epoch):
    """The error code of a consumer's Fetch v11 naming this current leader epoch."""
    request = FetchRequest[11](replica_id=-1, max_wait_time=0, min_bytes=0, max_bytes=1 << 20, isolation_level=0,
                               session_id=0, session_epoch=-1,
                               topics=[(topic, [(partition, current_leader_epoch, 0, -1, 1 << 20)])],
                               forgotten_topics_data=[], rack_id="")
    return kafka_request(node, request).topics[0][1][0][1]


def list_offsets_with_epoch(node, topic, partition, current_leader_epoch, timestamp=-1):
    """(error code, offset, leader epoch) of ListOffsets v4 (-1: latest)."""
    request = ListOffsetsRequest_v4(replica_id=-1, isolation_level=0,
                                    topics=[(topic, [(partition, current_leader_epoch, timestamp)])])
    p = kafka_request(node, request).topics[0][1][0]
    return p[1], p[3], p[4]


def epoch_end(node, topic, partition, leader_epoch, current_leader_epoch=-1):
    """(error code, leader epoch, end offset) of OffsetForLeaderEpoch v2."""
    request = OffsetForLeaderEpochRequest_v2(topics=[(topic, [(partition, current_leader_epoch, leader_epoch)])])
    p = kafka_request(node, request).topics[0][1][0]
    return p[0], p[2], p[3]


def coordinator_of(nodes, group):
    """The node id FindCoordinator names for the group, asked of the first node that answers
    without error; None if none does. (v0: kafka-python 2.0.2's v1 response lacks throttle_time_ms.)"""
    for n in nodes:
        if n.proc is None or n.proc.poll() is not None:
            continue
        try:
            r = kafka_request(n, GroupCoordinatorRequest[0](consumer_group=group))
        except OSError:
            continue
        if r.error_code == 0:
            return r.coordinator_id
    return None


def offsets_partition_of(group):
    """Kafka's placement of a group: abs(String.hashCode) % offsets.topic.num.partitions."""
    data, h = group.encode("utf-16-be"), 0
    for i in range(0, len(data), 2):
        h = (31 * h + (data[i] << 8 | data[i + 1])) & 0xFFFFFFFF
    if h >= 1 << 31:
        h -= 1 << 32
    return (0 if h == -(1 << 31) else abs(h)) % OFFSETS_PARTITIONS


class ReplicationFaultsTest(ReplicatedCluster, unittest.TestCase):

    # ---- a. a zombie leader ------------------------------------------------------------------------

    def test_a_leader_stopped_past_its_session_comes_back_without_acknowledging_what_is_lost(self):
        cluster = self.start_cluster()
        state = self.create_topic(cluster)
        old = cluster.node(state.leader)
        self.addCleanup(lambda: old.proc.poll() is None and old.proc.send_signal(signal.SIGCONT))
        # Without idempotence: librdkafka 2.0.2 takes the resumed leader's stale Metadata (its answer
        # to a request queued while it was stopped, in the ~30 ms before it learns of the new leader)
        # and sends it the next sequence numbers, which it answers OUT_OF_ORDER_SEQUENCE_NUMBER as
        # Kafka's stale leader would; the idempotent producer takes that as fatal. Retries may store
        # a record twice here, so only loss is checked.
        stream = AckedStream(bootstrap(cluster.nodes), TOPIC, config={"enable.idempotence": False}).start()
        # A client of its own that keeps talking to the old leader: acks=all Produce requests sent
        # while it is stopped wait in its socket and are read when it resumes.
        zombie_client = socket.create_connection(("127.0.0.1", old.kafka_port), timeout=60)
        self.addCleanup(zombie_client.close)
        raw = {}   # correlation id -> (value, request)
        try:
            stream.wait_acked(400, 30, "before the stop")
            old.proc.send_signal(signal.SIGSTOP)
            stopped_at = time.monotonic()
            for i in range(5):
                value = "zombie-%d" % i
                request = ProduceRequest[7](transactional_id=None, required_acks=-1, timeout=10000,
                                            topics=[(TOPIC, [(0, record_batch(value.encode()))])])
                zombie_client.sendall(request_frame(request, 100 + i))
                raw[100 + i] = (value, request)
                stream.sent.add(value)   # the acknowledgement check may read them: they were sent
            others = [n for n in running(cluster) if n is not old]
            new = wait_state(others, TOPIC, 0, lambda s: s.leader > 0 and s.leader != old.node_id,
                             "new leader while leader %d is stopped" % old.node_id, 20)
            print("  leader %d stopped: node %d leads (epoch %d -> %d) after %.0f ms; ISR %s" % (
                old.node_id, new.leader, state.leader_epoch, new.leader_epoch,
                (time.monotonic() - stopped_at) * 1000, new.isr))
            self.assertGreater(new.leader_epoch, state.leader_epoch, "a new leader has a new leader epoch")
            stream.wait_acked(400, 30, "from the new leader while the old one is stopped")
            time.sleep(max(0.0, stopped_at + 2 * SESSION_TIMEOUT_MS / 1000 - time.monotonic()))
            old.proc.send_signal(signal.SIGCONT)
            print("  leader %d resumed after %.0f ms stopped" % (old.node_id, (time.monotonic() - stopped_at) * 1000))
            answers = {}
            for correlation, (value, request) in sorted(raw.items()):
                try:
                    p = read_response(zombie_client, request, correlation).topics[0][1][0]
                    answers[value] = (p[1], p[2])   # (error code, base offset)
                except OSError as e:   # a closed connection acknowledges nothing
                    answers[value] = ("connection: %s" % e, None)
            print("  the resumed leader answered the Produce requests sent while it was stopped: %s" % answers)
            stream.wait_acked(400, 30, "after the old leader resumed")
            self.assertEqual(stream.stop(60), 0, "every record the stream sent was answered")
        finally:
            stream.abort()
        self.assert_no_failures(stream, "through the stop")
        self.check_acknowledged(stream, cluster.nodes, duplicates_allowed=True)
        final = {(m.partition(), m.offset()): m.value().decode() for m in consume_to_end(bootstrap(cluster.nodes), TOPIC, [0])}
        for value, (error, offset) in sorted(answers.items()):
            if error == 0:
                self.assertEqual(final.get((0, offset)), value,
                                 "the resumed leader acknowledged %s at offset %d, which the final log does not hold" % (value, offset))
        self.assert_replicas_identical(cluster, state)

    # ---- b. __consumer_offsets under kill -9 of its leader ----------------------------------------

    def test_committed_offsets_survive_kill_9_of_the_offsets_partition_leader(self):
        cluster = self.start_cluster(extra=["--offsets-topic-replication-factor", "3"])
        self.create_topic(cluster)
        group = "e2e-offsets-failover"
        producer = Producer({"bootstrap.servers": bootstrap(cluster.nodes), "acks": "all", "linger.ms": 5})
        for i in range(30000):
            producer.produce(TOPIC, b"r-%d" % i, partition=0)
            if i % 5000 == 0:
                producer.poll(0)
        self.assertEqual(producer.flush(60), 0, "30,000 records stored before the group starts")

        consumed = [0]
        commit_errors = []
        stop = threading.Event()

        def consume():
            c = Consumer({"bootstrap.servers": bootstrap(cluster.nodes), "group.id": group,
                          "enable.auto.commit": False, "auto.offset.reset": "earliest",
                          "session.timeout.ms": 10000, "reconnect.backoff.max.ms": 500,
                          "topic.metadata.refresh.interval.ms": 500})
            c.subscribe([TOPIC])
            since_commit = 0
            try:
                while not stop.is_set():
                    m = c.poll(0.2)
                    if m is None or m.error():
                        continue
                    consumed[0] += 1
                    since_commit += 1
                    time.sleep(0.005)   # ~200 records a second: the 30,000 records outlast the kills
                    if since_commit >= 100:
                        try:
                            c.commit(asynchronous=False)
                            since_commit = 0
                        except KafkaException as e:   # retried at the next record
                            commit_errors.append(str(e))
            finally:
                c.close()

        consumer = threading.Thread(target=consume, daemon=True)
        consumer.start()
        self.addCleanup(lambda: (stop.set(), consumer.join(30)))

        watcher = Consumer({"bootstrap.servers": bootstrap(cluster.nodes), "group.id": group, "enable.auto.commit": False})
        self.addCleanup(watcher.close)
        seen = []   # every committed offset read, in order

        def committed():
            try:
                (tp,) = watcher.committed([TopicPartition(TOPIC, 0)], timeout=2)
            except KafkaException:
                return None   # no answer during a failover: asked again
            if tp.error is None:
                seen.append(tp.offset)
                if len(seen) > 1 and tp.offset < max(seen[:-1]):
                    self.fail("the committed offset went backwards: %d after %d (all read: %s)" % (
                        tp.offset, max(seen[:-1]), seen[-20:]))
                return tp.offset
            return None

        def wait_committed(beyond, timeout, what):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                offset = committed()
                if offset is not None and offset >= beyond:
                    return offset
                time.sleep(0.1)
            self.fail("no committed offset at or beyond %d %s within %.0f s (last read %s; %d consumed; commit errors: %s)" % (
                beyond, what, timeout, seen[-1] if seen else None, consumed[0], commit_errors[-3:]))

        partition = offsets_partition_of(group)
        offset = wait_committed(300, 60, "before the first kill")
        for round_ in range(1, 5):
            states = partition_states(cluster.nodes[0], OFFSETS_TOPIC)
            self.assertIsNotNone(states, "Metadata names %s" % OFFSETS_TOPIC)
            self.assertEqual(len(states[partition].replicas), 3, "%s-%d has 3 replicas: %s" % (OFFSETS_TOPIC, partition, states[partition]))
            wait_isr(cluster.nodes, OFFSETS_TOPIC, partition, states[partition].replicas, timeout=60)
            coordinator = coordinator_of(cluster.nodes, group)
            leader = wait_state(cluster.nodes, OFFSETS_TOPIC, partition, lambda s: s.leader > 0, "leader", 10).leader
            self.assertEqual(coordinator, leader, "the coordinator of %s is the leader of %s-%d" % (group, OFFSETS_TOPIC, partition))
            victim = cluster.node(leader)
            victim.kill9()
            killed_at = time.monotonic()
            after = wait_committed(offset + 300, 60, "after kill -9 of coordinator %d (round %d)" % (leader, round_))
            print("  round %d: coordinator %d killed at committed offset %d; committed %d after %.0f ms" % (
                round_, leader, offset, after, (time.monotonic() - killed_at) * 1000))
            offset = after
            victim.start()
            cluster.wait_all_ready(60)
        offset = wait_committed(offset + 300, 60, "after the last restart")
        stop.set()
        consumer.join(30)
        final = committed()
        print("  %d consumed, committed offset %d, %d offsets read, %d commit errors (retried)" % (
            consumed[0], final, len(seen), len(commit_errors)))
        self.assertGreaterEqual(final, offset)

    # ---- c. KIP-320 leader epochs on the wire --------------------------------------------------------

    def test_stale_and_future_leader_epochs_are_refused_and_epoch_ends_are_answered(self):
        cluster = self.start_cluster()
        state = self.create_topic(cluster)
        first = cluster.node(state.leader)
        p = Producer({"bootstrap.servers": bootstrap(cluster.nodes), "acks": "all", "linger.ms": 0})
        for i in range(10):
            p.produce(TOPIC, b"e0-%d" % i, partition=0)
            p.flush(30)
        self.assertEqual(len(p), 0)
        e0 = state.leader_epoch
        self.assertEqual(epoch_end(first, TOPIC, 0, e0, e0), (0, e0, 10), "the current epoch ends at the log end")

        first.kill9()
        others = running(cluster)
        now = wait_state(others, TOPIC, 0, lambda s: s.leader > 0 and s.leader != first.node_id, "new leader", 20)
        leader = cluster.node(now.leader)
        e1 = now.leader_epoch
        self.assertGreater(e1, e0)
        for i in range(5):
            p.produce(TOPIC, b"e1-%d" % i, partition=0)
            p.flush(30)
        self.assertEqual(len(p), 0)
        began = next(b.base_offset for b in read_batches(partition_dir(leader.data_dir, TOPIC, 0)) if b.leader_epoch > e0)
        print("  epochs %d -> %d; epoch %d began at offset %d on node %d" % (e0, e1, e1, began, leader.node_id))
        self.assertEqual(began, 10)

        self.assertEqual(fetch_with_epoch(leader, TOPIC, 0, e1), 0, "Fetch with the current epoch")
        self.assertEqual(fetch_with_epoch(leader, TOPIC, 0, e0), FENCED_LEADER_EPOCH, "Fetch with an older epoch")
        self.assertEqual(fetch_with_epoch(leader, TOPIC, 0, e1 + 1), UNKNOWN_LEADER_EPOCH, "Fetch with a newer epoch")
        self.assertEqual(list_offsets_with_epoch(leader, TOPIC, 0, e1), (0, 15, e1), "ListOffsets(latest), current epoch")
        self.assertEqual(list_offsets_with_epoch(leader, TOPIC, 0, e0)[0], FENCED_LEADER_EPOCH, "ListOffsets, older epoch")
        self.assertEqual(list_offsets_with_epoch(leader, TOPIC, 0, e1 + 1)[0], UNKNOWN_LEADER_EPOCH, "ListOffsets, newer epoch")

        self.assertEqual(epoch_end(leader, TOPIC, 0, e0, e1), (0, e0, began), "epoch %d ends where %d began" % (e0, e1))
        self.assertEqual(epoch_end(leader, TOPIC, 0, e1, e1), (0, e1, 15), "the current epoch ends at the log end")
        self.assertEqual(epoch_end(leader, TOPIC, 0, e0, e0)[0], FENCED_LEADER_EPOCH, "OffsetForLeaderEpoch, older current epoch")
        self.assertEqual(epoch_end(leader, TOPIC, 0, e0, e1 + 1)[0], UNKNOWN_LEADER_EPOCH, "OffsetForLeaderEpoch, newer current epoch")

        first.start()
        self.assert_replicas_identical(cluster, state)


if __name__ == "__main__":
    unittest.main()
