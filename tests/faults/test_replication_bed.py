"""Partition replication (issue #15, "Proof") under faults only the bed can make: a full disk on a
follower, a full disk on the leader, and a leader cut off from the other brokers but not from its
clients. Three skiffd nodes in the bed's namespaces, each on a 64 MB tmpfs, a topic of replication
factor 3 and min.insync.replicas 2, real clients (confluent-kafka) from the client host.

- Follower disk full: acks=all goes on (the ISR shrinks to the others after replica.lag.time.max.ms),
  the leader is unaffected; once space returns the follower catches up and rejoins the ISR, and
  the replicas' logs are identical.
- Leader disk full: Produce is refused (KAFKA_STORAGE_ERROR or NOT_LEADER_OR_FOLLOWER) or succeeds
  with the record kept at the offset it named; nothing acknowledged is lost once space returns.
- Leader cut off (nftables between its namespace and the other nodes'): acks=all requests to it
  fail or time out and none is acknowledged by it (a client it sends away, closing the connection
  its Metadata was asked on, may write on the new leader); a leader on the other side serves;
  after healing the old leader truncates and every replica matches.
- A batch on the leader and one follower but not committed when the leader is cut off from the
  controller: the follower leads, and the idempotent producer's retry of that batch is answered
  as a duplicate (each node logs its producer-state decisions: skiff.producers).

The full or cut-off node is never the metadata leader (explicit replica assignments choose the
partition leaders): a full disk there stops the metadata log (its own test: test_bed), and a cut-off
controller is the metadata quorum's fault, not the partition's. Needs root, like the rest of the bed.
"""
import json
import os
import shutil
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))   # batch_headers, streams, clients

from confluent_kafka import Consumer, Producer, TopicPartition  # noqa: E402
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402

import batch_headers  # noqa: E402
import bed as bedlib  # noqa: E402
from cluster import Cluster  # noqa: E402
from streams import AckedStream, acknowledgement_problems  # noqa: E402

TOPIC = "replicated"
PARTITIONS = 6
DISK_MB = 64
SESSION_TIMEOUT_MS = 1500
LAG_TIME_MAX_MS = 2000
KAFKA_STORAGE_ERROR = 56
NOT_LEADER_OR_FOLLOWER = 6
EXTRA = ["--broker-session-timeout-ms", str(SESSION_TIMEOUT_MS), "--replica-lag-time-max-ms", str(LAG_TIME_MAX_MS)]


class BedReplication(unittest.TestCase):
    """Three nodes in the bed and the checks; the test classes below say what harm they do."""
    EXTRA = EXTRA

    def setUp(self):
        self.bed = bedlib.Bed(3).create()
        self.addCleanup(self.bed.close)
        self.logs = tempfile.mkdtemp(prefix="skiff-bed-")
        self.roots = {i: self.bed.small_disk("n%d" % i, DISK_MB) for i in range(1, 4)}
        self.bed.enter_client_host()
        self.cluster = Cluster(self.bed, 3, self.roots, self.logs, extra=self.EXTRA).start()
        self.addCleanup(self.cluster.close)
        self.assertEqual(self.cluster.wait_ready(60), [], "every node ready (logs in %s)" % self.logs)

    def create_topic(self, leaders):
        """The topic, partition p first led by leaders[p] (the first replica of an explicit
        assignment), once every partition has that leader and an ISR of 3."""
        assignment = [[lead] + [i for i in (1, 2, 3) if i != lead] for lead in leaders]
        admin = AdminClient({"bootstrap.servers": self.cluster.bootstrap()})
        admin.create_topics([NewTopic(TOPIC, len(assignment), replica_assignment=assignment,
                                      config={"min.insync.replicas": "2"})])[TOPIC].result(30)
        return self.wait_partitions(lambda m: len(m.isrs) == 3 and m.leader == assignment[m.id][0],
                                    "an ISR of 3 and the first replica leading", 60)

    def run(self, result=None):
        """The nodes' logs are evidence only of a failure (its message names their folder):
        removed after a test that passed."""
        result = result or self.defaultTestResult()
        before = len(result.failures) + len(result.errors)
        self.logs = None
        outcome = super().run(result)
        if self.logs and len(result.failures) + len(result.errors) == before:
            shutil.rmtree(self.logs, ignore_errors=True)
        return outcome

    # ---- what the brokers say --------------------------------------------------------------------

    def partitions(self, via=None):
        """{partition: PartitionMetadata} as Metadata through `via` (nodes; default all) names them."""
        bootstrap = ",".join(n.bootstrap for n in via) if via else self.cluster.bootstrap()
        try:
            md = AdminClient({"bootstrap.servers": bootstrap}).list_topics(TOPIC, timeout=5)
            return dict(md.topics[TOPIC].partitions)
        except Exception:
            return None

    def wait_partitions(self, accept, what, timeout, only=None, via=None):
        """Waits until every partition (or those in `only`) satisfies accept(PartitionMetadata)."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            parts = self.partitions(via)
            if parts:
                last = {p: (m.leader, sorted(m.isrs)) for p, m in parts.items()}
                if all(accept(m) for p, m in parts.items() if only is None or p in only):
                    return parts
            if time.monotonic() > deadline:
                nodes = {i: (n.running(), n.ready()) for i, n in self.cluster.nodes.items()}
                self.fail("no %s within %.0f s (leader, ISR per partition: %s; (running, ready) per node: %s; logs in %s)" % (
                    what, timeout, last, nodes, self.logs))
            time.sleep(0.2)

    def metadata_leader(self):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            leader = self.cluster.metadata_leader()
            if leader:
                return leader
            time.sleep(0.1)
        self.fail("no metadata leader")

    # ---- the checks ------------------------------------------------------------------------------

    def assert_replicas_identical(self):
        """Once every ISR is all three replicas: each partition's replicas hold the same batches
        below the leader's high watermark, read from their segment files."""
        parts = self.wait_partitions(lambda m: len(m.isrs) == 3 and m.leader > 0, "ISR of all 3 replicas again", 90)
        c = Consumer({"bootstrap.servers": self.cluster.bootstrap(), "group.id": "replica-check"})
        try:
            for p, m in sorted(parts.items()):
                hw = c.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=15)[1]
                logs = {"node %d%s" % (i, " (leader)" if i == m.leader else ""): batch_headers.read_batches(
                    batch_headers.partition_dir(self.cluster.nodes[i].data_dir, TOPIC, p)) for i in m.replicas}
                problems = batch_headers.replica_differences(logs, hw)
                if problems:
                    self.fail("replica logs of %s-%d below the high watermark %d: %s" % (TOPIC, p, hw, "; ".join(problems)))
        finally:
            c.close()

    def check_acknowledged(self, stream):
        problems, read = acknowledgement_problems(stream, self.cluster.bootstrap(), TOPIC, list(range(PARTITIONS)))
        print("  %d acknowledged, %d failed deliveries, %d records read back" % (len(stream.acked), len(stream.failed), read))
        if problems:
            self.fail("; ".join(problems))

    def stream(self):
        s = AckedStream(self.cluster.bootstrap(), TOPIC, rate=200, config={"message.timeout.ms": 120000})
        self.addCleanup(s.abort)
        return s.start()


class ReplicationUnderBedFaults(BedReplication):
    # ---- a. a follower's disk fills up -------------------------------------------------------------

    def test_a_follower_out_of_disk_leaves_the_isr_and_rejoins_once_space_returns(self):
        controller = self.metadata_leader()
        full = next(i for i in (1, 2, 3) if i != controller)
        others = [i for i in (1, 2, 3) if i != full]
        parts = self.create_topic([others[p % 2] for p in range(PARTITIONS)])   # node `full` follows all
        followed = sorted(parts)
        stream = self.stream()
        stream.wait_acked(400, 30, "before the disk fills")
        filler = os.path.join(self.roots[full], "filler")
        filled = self.bed.fill(filler)
        filled_at = time.monotonic()
        print("  node %d (a follower of partitions %s) full: %d bytes written" % (full, followed, filled))
        shrunk = self.wait_partitions(lambda m: full not in m.isrs and len(m.isrs) == 2, "ISR without node %d" % full,
                                      (LAG_TIME_MAX_MS + SESSION_TIMEOUT_MS) / 1000 + 30, only=followed)
        print("  node %d left the ISR of %s after %.0f ms: %s" % (
            full, followed, (time.monotonic() - filled_at) * 1000, {p: sorted(shrunk[p].isrs) for p in followed}))
        stream.wait_acked(600, 30, "with node %d's disk full" % full)
        # Its leaders are unaffected: they are the same nodes as before the fill.
        self.assertEqual({p: shrunk[p].leader for p in followed}, {p: parts[p].leader for p in followed})

        os.unlink(filler)
        freed_at = time.monotonic()
        self.wait_partitions(lambda m: full in m.isrs, "node %d back in the ISR" % full, 60, only=followed)
        print("  node %d back in every ISR %.0f ms after its disk was freed" % (full, (time.monotonic() - freed_at) * 1000))
        stream.wait_acked(400, 30, "after the disk was freed")
        self.assertEqual(stream.stop(60), 0, "every record sent was answered")
        self.assertEqual(stream.failed, [], "no delivery failed")
        self.check_acknowledged(stream)
        self.assert_replicas_identical()

    # ---- b. the leader's disk fills up -------------------------------------------------------------

    def test_a_leader_out_of_disk_hands_over_its_leadership_and_loses_nothing_acknowledged(self):
        controller = self.metadata_leader()
        full = next(i for i in (1, 2, 3) if i != controller)
        self.create_topic([(full + p - 1) % 3 + 1 for p in range(PARTITIONS)])   # node `full` leads 0 and 3
        p = 0
        stream = self.stream()
        stream.wait_acked(400, 30, "before the disk fills")
        filler = os.path.join(self.roots[full], "filler")
        self.bed.fill(filler)
        print("  node %d (leader of partition %d) full" % (full, p))

        # One record at a time to the partition, no retries: each answer is the broker's own. Each
        # is larger than two pages, so its write needs a page the full tmpfs does not have (small
        # ones fit in the last page of the log, and were acknowledged; CI, 2026-12-07).
        padding = "x" * (2 * 4096)
        answers = []
        direct = Producer({"bootstrap.servers": self.cluster.bootstrap(), "acks": "all", "retries": 0,
                           "enable.idempotence": False, "linger.ms": 0, "message.timeout.ms": 15000,
                           "request.timeout.ms": 10000, "topic.metadata.refresh.interval.ms": 500})
        for i in range(20):
            value = "direct-%d:%s" % (i, padding)
            stream.sent.add(value)   # read back by the acknowledgement check: it was sent
            direct.produce(TOPIC, value.encode(), partition=p,
                           on_delivery=lambda err, msg: answers.append((msg.value().decode(), err.code() if err else 0,
                                                                        msg.offset())))
            direct.flush(20)
            time.sleep(0.2)
        codes = [code for _, code, _ in answers]
        print("  Produce to partition %d with node %d's disk full: codes %s" % (p, full, codes))
        self.assertEqual(len(answers), 20, "every Produce answered")
        # The full leader refuses (KAFKA_STORAGE_ERROR) and reports the partition's log offline, or,
        # its metadata log unwritable too, loses its lease and answers NOT_LEADER_OR_FOLLOWER. Either
        # way the controller hands the leadership to another ISR member (as Kafka does for a failed
        # log directory), which acknowledges the later records: the partition stays writable.
        self.assertTrue(set(codes) <= {0, KAFKA_STORAGE_ERROR, NOT_LEADER_OR_FOLLOWER}, codes)
        self.assertEqual(codes[-5:], [0] * 5, "the last records (after 3 s or more) are acknowledged by the new leader")
        others = [self.cluster.nodes[i] for i in (1, 2, 3) if i != full]
        moved = self.wait_partitions(lambda m: m.leader != full and full not in m.isrs,
                                     "partition %d led elsewhere, the full node out of its ISR" % p, 10, only=[p], via=others)
        print("  partition %d: leader %d, ISR %s" % (p, moved[p].leader, sorted(moved[p].isrs)))
        # Records the partition's (possibly new) leader acknowledged count like the stream's.
        for value, code, offset in answers:
            if code == 0:
                stream.acked[value] = (p, offset)
        stream.wait_acked(200, 60, "with node %d's disk full" % full)

        os.unlink(filler)
        self.assertEqual(self.cluster.wait_ready(60), [], "every node ready once space returned")
        stream.wait_acked(400, 60, "after the disk was freed")
        self.assertEqual(stream.stop(90), 0, "every record the stream sent was answered")
        self.check_acknowledged(stream)
        self.assert_replicas_identical()

    def check_the_cut_off_leader_leads_nothing(self, old, others, p, stream):
        """Its lease expired (cluster/BrokerLease.h), the cut-off node still holds an image naming
        it leader, but leads nothing: an acks=1 write is refused (not taken, then lost when it
        truncates at healing), and a consumer that reaches only it is not told its offset is out
        of range (librdkafka 2.0, without KIP-320, would start over from the earliest offset)."""
        status = json.loads(self.cluster.nodes[old].skiffctl("--json", "status").stdout)["nodes"][0]["status"]
        self.assertTrue(status.get("lease_reported"), "the node reports its lease")
        self.assertEqual(int(status.get("lease_remaining_ms", 0)), -1, "the cut-off node holds no lease")
        named = self.partitions(via=[self.cluster.nodes[old]])
        self.assertIsNotNone(named, "Metadata from the cut-off node")
        self.assertNotIn(old, [m.leader for m in named.values()], "the cut-off node still names itself leader")
        # ... and, fenced for a session timeout, closes the connection once it answered, so that
        # the client asks another broker.
        deadline = time.monotonic() + 3 * SESSION_TIMEOUT_MS / 1000 + 5
        while not self.cluster.nodes[old].log_has("it is fenced, so the client asks another broker next"):
            self.assertLess(time.monotonic(), deadline, "the cut-off node kept the connections its Metadata was asked on")
            self.partitions(via=[self.cluster.nodes[old]])
            time.sleep(0.2)
        # Records on the other side, so the consumer's offset is past everything the old leader has.
        more = Producer({"bootstrap.servers": ",".join(self.cluster.nodes[i].bootstrap for i in others), "acks": "all"})
        for i in range(50):
            stream.sent.add("beyond-%d" % i)   # sent, so the final check expects to read it
            more.produce(TOPIC, b"beyond-%d" % i, partition=p)
        self.assertEqual(more.flush(30), 0, "records written on the other side")
        probe = Consumer({"bootstrap.servers": ",".join(self.cluster.nodes[i].bootstrap for i in others),
                          "group.id": "lease-probe-hw"})
        beyond = probe.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=10)[1]
        probe.close()

        old_dir = batch_headers.partition_dir(self.cluster.nodes[old].data_dir, TOPIC, p)
        end_before = batch_headers.log_end(batch_headers.read_batches(old_dir))
        answers = []
        acks1 = Producer({"bootstrap.servers": self.cluster.nodes[old].bootstrap, "acks": 1, "retries": 0,
                          "enable.idempotence": False, "linger.ms": 0, "message.timeout.ms": 5000})
        for i in range(3):
            stream.sent.add("lease-%d" % i)
            acks1.produce(TOPIC, b"lease-%d" % i, partition=p, on_delivery=lambda err, msg: answers.append(
                (msg.value().decode(), err.code() if err else 0, msg.offset())))
            acks1.flush(10)
        print("  acks=1 Produce through the cut-off node %d: %s" % (old, [(v, c) for v, c, _ in answers]))
        self.assertEqual(len(answers), 3, "every acks=1 Produce answered or timed out")
        # It answers NOT_LEADER_OR_FOLLOWER and, asked for Metadata, names no leader and closes the
        # connection (no_lease): the client may then write on the new leader, where each record
        # acknowledged must be at the end (check_acknowledged). The cut-off node wrote nothing.
        self.acknowledged_elsewhere(stream, p, answers)
        self.assertEqual(batch_headers.log_end(batch_headers.read_batches(old_dir)), end_before,
                         "the cut-off node took acks=1 writes")

        reader = Consumer({"bootstrap.servers": self.cluster.nodes[old].bootstrap, "group.id": "lease-probe",
                           "enable.auto.commit": False, "auto.offset.reset": "earliest"})
        reader.assign([TopicPartition(TOPIC, p, beyond)])
        read = []
        until = time.monotonic() + 5
        while time.monotonic() < until:
            m = reader.poll(0.5)
            if m is not None and not m.error():
                read.append(m.offset())
        reader.close()
        print("  a consumer at offset %d that reaches only node %d read %d record(s)" % (beyond, old, len(read)))
        self.assertEqual([o for o in read if o < beyond], [],
                         "the consumer was sent back to the earliest offset by the cut-off node")

    def acknowledged_elsewhere(self, stream, p, answers):
        """Acknowledgements of the (value, code, offset) answers join the stream's, for the final
        check that each is at its offset."""
        with stream.lock:
            for value, code, offset in answers:
                if code == 0:
                    stream.acked[value] = (p, offset)

    # ---- c. the leader is cut off from the other brokers -------------------------------------------

    def test_a_leader_cut_off_from_its_peers_acknowledges_nothing_and_truncates_after_healing(self):
        controller = self.metadata_leader()
        old = next(i for i in (1, 2, 3) if i != controller)   # the partition leader, not the metadata leader
        parts = self.create_topic([(old + p - 1) % 3 + 1 for p in range(PARTITIONS)])
        p = 0
        others = [i for i in (1, 2, 3) if i != old]
        led = sorted(q for q, m in parts.items() if m.leader == old)
        stream = self.stream()
        stream.wait_acked(400, 30, "before the cut")
        # A producer that knows only the old leader: its Metadata keeps naming itself the leader.
        answers = []
        to_old = Producer({"bootstrap.servers": self.cluster.nodes[old].bootstrap, "acks": "all", "retries": 0,
                           "enable.idempotence": False, "linger.ms": 0, "message.timeout.ms": 8000,
                           "request.timeout.ms": 6000})
        self.assertEqual(len(to_old.list_topics(TOPIC, timeout=10).topics[TOPIC].partitions), PARTITIONS)

        for i in others:
            self.bed.cut(old, i)
            self.bed.cut(i, old)
        cut_at = time.monotonic()
        for i in range(5):
            value = "cut-%d" % i
            stream.sent.add(value)
            to_old.produce(TOPIC, value.encode(), partition=p,
                           on_delivery=lambda err, msg: answers.append((msg.value().decode(), err.code() if err else 0,
                                                                        msg.offset())))
            to_old.flush(15)
        print("  acks=all Produce to the cut-off leader %d (%.0f ms): %s" % (
            old, (time.monotonic() - cut_at) * 1000, [(v, c) for v, c, _ in answers]))
        self.assertEqual(len(answers), 5, "every Produce answered or timed out")
        # None answered by the cut-off leader as written (a record it acknowledged would be gone
        # once it truncates); the client it sends away may write them on the new leader.
        self.acknowledged_elsewhere(stream, p, answers)

        others_nodes = [self.cluster.nodes[i] for i in others]
        moved = self.wait_partitions(lambda m: m.leader in others, "leaders on the side of nodes %s" % others,
                                     (SESSION_TIMEOUT_MS / 1000) + 30, only=led, via=others_nodes)
        print("  node %d cut off: partitions %s led by %s %.0f ms after the cut" % (
            old, led, {q: moved[q].leader for q in led}, (time.monotonic() - cut_at) * 1000))
        stream.wait_acked(400, 60, "while leader %d is cut off" % old)
        self.check_the_cut_off_leader_leads_nothing(old, others, p, stream)

        self.bed.heal([1, 2, 3])
        healed_at = time.monotonic()
        self.assertEqual(self.cluster.wait_ready(60), [], "every node ready after healing")
        stream.wait_acked(400, 60, "after healing")
        self.assertEqual(stream.stop(90), 0, "every record the stream sent was answered")
        print("  healed; stream went on %.0f ms after" % ((time.monotonic() - healed_at) * 1000))
        self.check_acknowledged(stream)
        self.assert_replicas_identical()



class RetriesAcrossLeaders(BedReplication):
    """An idempotent producer's batch is on the leader and one follower but not committed when the
    leader is cut off; the follower becomes leader with the batch as its last, and the client's
    retry of it must be answered as the duplicate it is, not appended again (found by a long fault
    run: 102 records stored twice, issue #15)."""

    def test_a_retry_of_an_uncommitted_batch_to_the_new_leader_is_a_duplicate(self):
        controller = self.metadata_leader()
        old, heir = [i for i in (1, 2, 3) if i != controller]
        topic = "retried"
        # The heir is second in the assignment: the controller picks it from the ISR, and the
        # controller itself, third, cannot fetch from the old leader once it is cut off.
        admin = AdminClient({"bootstrap.servers": self.cluster.bootstrap()})
        admin.create_topics([NewTopic(topic, 1, replica_assignment=[[old, heir, controller]],
                                      config={"min.insync.replicas": "2"})])[topic].result(30)
        self.wait_topic(topic, lambda m: m.leader == old and len(m.isrs) == 3, "node %d leading, ISR of 3" % old)

        # The heir restarted shortly before, as in the run that found it: its producer state
        # comes from its log, then from the batches it replicates.
        self.cluster.nodes[heir].kill9()
        self.wait_topic(topic, lambda m: heir not in m.isrs, "node %d fenced and out of the ISR" % heir)
        self.cluster.nodes[heir].start()
        self.wait_topic(topic, lambda m: len(m.isrs) == 3, "node %d back in the ISR" % heir)

        stream = AckedStream(self.cluster.bootstrap(), topic, prefix="r", rate=300,
                             config={"message.timeout.ms": 120000, "request.timeout.ms": 1000,
                                     "socket.timeout.ms": 1000, "max.in.flight.requests.per.connection": 1})
        self.addCleanup(stream.abort)
        stream.start()
        stream.wait_acked(300, 30, "before the cut")
        # The old leader keeps its link to the heir, which goes on replicating what it appends;
        # the controller, also the third replica, no longer fetches, so nothing more commits.
        self.bed.cut(old, controller)
        self.bed.cut(controller, old)
        cut_at = time.monotonic()
        self.wait_topic(topic, lambda m: m.leader == heir, "node %d leading" % heir,
                        via=[self.cluster.nodes[heir]])
        print("  node %d leads %.0f ms after node %d was cut off from the controller" % (
            heir, (time.monotonic() - cut_at) * 1000, old))
        took = stream.wait_acked(300, 60, "from the new leader")
        with open(self.cluster.nodes[old].log_path) as f:
            closes = f.read().count("it is fenced, so the client asks another broker next")
        # A client asks Metadata of a broker it is connected to: the cut-off one closes the
        # connection after answering (no_lease), or the client would ask it again and again.
        print("  300 more acknowledged %.1f s after (the cut-off node closed %d connection(s) after Metadata)" % (
            took, closes))
        self.bed.heal([1, 2, 3])
        self.assertEqual(self.cluster.wait_ready(60), [], "every node ready after healing")
        self.assertEqual(stream.stop(90), 0, "every record the stream sent was answered")
        problems, read = acknowledgement_problems(stream, self.cluster.bootstrap(), topic, [0])
        print("  %d acknowledged, %d failed deliveries, %d records read back" % (
            len(stream.acked), len(stream.failed), read))
        self.assertEqual(problems, [], "logs of the nodes in %s (skiff.producers debug)" % self.logs)
        # Not a test where nothing happened: the new leader did get retries of batches it held.
        with open(self.cluster.nodes[heir].log_path) as f:
            duplicates = [line for line in f if "skiff.producers" in line and "/%s-0: " % topic in line
                          and ": duplicate of offsets" in line]
        print("  the new leader answered %d retried batch(es) as duplicates, e.g. %s" % (
            len(duplicates), duplicates[0].split("skiff.producers: ")[-1].strip() if duplicates else "-"))
        self.assertNotEqual(duplicates, [], "no retry reached the new leader (logs in %s)" % self.logs)

    def wait_topic(self, topic, accept, what, timeout=60, via=None):
        bootstrap = ",".join(n.bootstrap for n in via) if via else self.cluster.bootstrap()
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            try:
                m = AdminClient({"bootstrap.servers": bootstrap}).list_topics(topic, timeout=5).topics[topic].partitions[0]
                last = (m.leader, sorted(m.isrs))
                if accept(m):
                    return m
            except Exception:
                pass
            time.sleep(0.2)
        self.fail("no %s within %.0f s (leader, ISR: %s; logs in %s)" % (what, timeout, last, self.logs))


if __name__ == "__main__":
    unittest.main()
