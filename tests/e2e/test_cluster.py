"""Cluster mode with real skiffd processes: one view of the cluster on every node, through Raft."""
import json
import os
import socket
import struct
import subprocess
import time
import unittest

from confluent_kafka import KafkaError, Producer
from confluent_kafka.admin import AdminClient, NewTopic

import kafka_wire
from clients import consume_to_end
from harness import SkiffCluster, SkiffNode, closed_by_peer, http_get, kcat, metric, poll

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))


def skiffctl(node, *args):
    r = subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port] + list(args),
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    return r.stdout


def admin_partitions(node, topic):
    return {p["partition"]: p for p in json.loads(skiffctl(node, "--json", "topics", topic))["partitions"]}


def kcat_metadata(node):
    r = kcat("-b", node.bootstrap, "-L", "-J", "-m", "5", timeout=30)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def admin_view(node):
    md = AdminClient({"bootstrap.servers": node.bootstrap}).list_topics(timeout=10)
    return sorted(md.brokers), md.controller_id, md.topics


class ClusterTest(unittest.TestCase):
    def test_cold_start_every_node_sees_every_broker_and_names_itself_controller(self):
        cluster = SkiffCluster(3).start(wait=False)
        try:
            all_ready = cluster.wait_all_ready(timeout=30)
            print("cold start: all 3 ready %.0f ms after the last process started"
                  % ((all_ready - cluster.last_start) * 1000))
            leader = cluster.wait_leader()
            for n in cluster.nodes:
                md = kcat_metadata(n)
                self.assertEqual(sorted(b["id"] for b in md["brokers"]), [1, 2, 3], "node %d: %s" % (n.node_id, md))
                # Not the metadata leader: any node takes admin requests (kafka/server/ListedBrokers.h).
                self.assertEqual(md["controllerid"], n.node_id, "node %d (leader %d)" % (n.node_id, leader))
                brokers, controller, _ = admin_view(n)
                self.assertEqual(brokers, [1, 2, 3])
                self.assertEqual(controller, n.node_id)
                _, ready = http_get(n.http_port, "/ready")
                self.assertTrue(ready["ready"], ready)
        finally:
            cluster.close()

    def test_ready_is_503_with_the_reason_until_a_quorum_elects_a_leader(self):
        cluster = SkiffCluster(3)
        try:
            first = cluster.node(1)
            first.start(wait=False)
            deadline = time.monotonic() + 10
            code, body = None, None
            while time.monotonic() < deadline and code is None:
                code, body = http_get(first.http_port, "/ready")
                time.sleep(0.02)
            time.sleep(1.5)   # several election timeouts: alone it cannot win
            code, body = http_get(first.http_port, "/ready")
            self.assertEqual(code, 503)
            self.assertFalse(body["ready"])
            self.assertIn("no metadata leader", body["reason"])
            self.assertEqual(http_get(first.http_port, "/health")[0], 200)
            # The log does not simply stop: a lasting wait is said, with what is missing.
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and "still waiting-for-leader after" not in first.log():
                time.sleep(0.1)
            self.assertRegex(first.log(), r"still waiting-for-leader after \d+ ms: no metadata leader is known \(term \d+\)")
            cluster.node(2).start(wait=False)
            cluster.wait_all_ready(timeout=30, nodes=[cluster.node(1), cluster.node(2)])
            code, body = http_get(first.http_port, "/ready")
            self.assertEqual(code, 200, body)
        finally:
            cluster.close()

    def test_topic_created_through_a_follower_is_seen_everywhere_and_serves_data(self):
        with SkiffCluster(3) as cluster:
            leader = cluster.wait_leader()
            follower = cluster.node(1 if leader != 1 else 2)
            admin = AdminClient({"bootstrap.servers": follower.bootstrap})
            admin.create_topics([NewTopic("spread", 6, 1)])["spread"].result(30)
            # The node that answered has applied it: its very next Metadata shows it.
            _, _, topics = admin_view(follower)
            self.assertIn("spread", topics)
            self.assertEqual(len(topics["spread"].partitions), 6)
            leaders = set()
            for n in cluster.nodes:
                deadline = time.monotonic() + 10   # replication to the others is quick; this is no speed test
                while True:
                    _, _, topics = admin_view(n)
                    if "spread" in topics or time.monotonic() > deadline:
                        break
                self.assertIn("spread", topics, "node %d" % n.node_id)
                leaders |= set(p.leader for p in topics["spread"].partitions.values())
            self.assertEqual(leaders, {1, 2, 3}, "partition leaders spread over every broker")

            # Produce through each node as bootstrap; read everything back.
            sent = set()
            for n in cluster.nodes:
                p = Producer({"bootstrap.servers": n.bootstrap, "acks": "all", "linger.ms": 5})
                for i in range(300):
                    v = b"via-%d-%d" % (n.node_id, i)
                    p.produce("spread", v, key=b"k%d" % i)
                    sent.add(v)
                self.assertEqual(p.flush(30), 0)
            for n in cluster.nodes:
                got = consume_to_end(n.bootstrap, "spread", range(6), timeout=60)
                self.assertEqual(set(m.value() for m in got), sent, "consumed via node %d" % n.node_id)

    def test_admin_client_on_the_survivors_works_at_once_after_the_leader_stops(self):
        """The survivors name themselves controller, never the stopped metadata leader, and the
        stopped leader handed leadership over before it exited: an admin client creates and
        deletes a topic on the survivors at the first try (no NOT_CONTROLLER, which librdkafka
        hands to the application), without waiting for an election (with the leader named, a CI
        run's librdkafka dialled the stopped node for 30 s)."""
        with SkiffCluster(3) as cluster:
            old = cluster.wait_leader()
            survivors = [n for n in cluster.nodes if n.node_id != old]
            cluster.node(old).stop()
            stopped_at = time.monotonic()
            self.assertRegex(cluster.node(old).log(), r"handing metadata leadership to node \d")
            for n in survivors:
                self.assertEqual(admin_view(n)[1], n.node_id, "node %d names itself" % n.node_id)
            admin = AdminClient({"bootstrap.servers": ",".join(n.bootstrap for n in survivors)})
            admin.create_topics([NewTopic("after-stop", 2, 1)])["after-stop"].result(15)
            created_s = time.monotonic() - stopped_at
            admin.delete_topics(["after-stop"])["after-stop"].result(15)
            deleted_s = time.monotonic() - stopped_at
            print("leader %d stopped: topic created after %.2f s, deleted after %.2f s"
                  % (old, created_s, deleted_s))
            # Handed over: no election to wait for, let alone a lost proposal's 5 s.
            self.assertLess(deleted_s, 3, "creating and deleting a topic on the survivors took %.1f s" % deleted_s)
            for n in survivors:
                self.assertNotIn("after-stop", admin_view(n)[2], "node %d" % n.node_id)

    def test_a_fenced_broker_answers_where_things_are_and_then_closes(self):
        """A client asks Metadata and FindCoordinator of a broker it is connected to. One whose
        leadership lease ran out over broker.session.timeout.ms ago (here: the other two nodes are
        gone, so no controller answers) is fenced and its answers stale: it answers, naming no
        leader or coordinator, and closes the connection, so that the client asks another broker
        next. With the lease, and in the first session timeout without it, the connection stays
        open."""
        metadata = kafka_wire.frame(3, 1, struct.pack(">i", -1))                       # every topic
        find_coordinator = kafka_wire.frame(10, 1, kafka_wire.string("group") + b"\x00")

        def closed_after(request, wait):
            with socket.create_connection(("127.0.0.1", survivor.kafka_port), timeout=10) as s:
                s.sendall(request)
                self.assertIsNotNone(kafka_wire.read_frame(s), "answered")
                return closed_by_peer(s, wait=wait) is not None

        timeout_s = 4
        with SkiffCluster(3, extra_args=["--broker-session-timeout-ms", str(timeout_s * 1000)]) as cluster:
            survivor = cluster.node(1)
            self.assertFalse(closed_after(metadata, 1), "closed while holding the lease")
            for n in cluster.nodes[1:]:
                n.kill9()
            poll("node 1 to lose its lease", lambda: metric(survivor, "skiff_leadership_lease_held") == 0, timeout=30)
            lost_at = time.monotonic()
            self.assertFalse(closed_after(metadata, 0.5), "closed in the first session timeout without the lease")
            self.assertLess(time.monotonic() - lost_at, timeout_s, "the check above came too late to tell")
            poll("a Metadata connection closed", lambda: closed_after(metadata, 0.5), timeout=30)
            self.assertTrue(closed_after(find_coordinator, 10), "FindCoordinator: connection left open")
            self.assertGreaterEqual(metric(survivor, "skiff_kafka_connections_closed_total", reason="no_lease"), 2)
            self.assertIn("it is fenced, so the client asks another broker next", survivor.log())

    def test_admin_request_forwarded_to_a_killed_leader_goes_to_the_next_one(self):
        """SIGKILL: no hand-over. A follower that forwarded the proposal to the dead leader sends
        it again to the one the survivors elect (RaftController::sendProposals), within the
        proposal's 5 s: the create succeeds without NOT_CONTROLLER reaching the application."""
        with SkiffCluster(3) as cluster:
            old = cluster.wait_leader()
            survivors = [n for n in cluster.nodes if n.node_id != old]
            admin = AdminClient({"bootstrap.servers": ",".join(n.bootstrap for n in survivors),
                                 "request.timeout.ms": 15000, "retries": 5})
            admin.list_topics(timeout=10)   # connected before the kill
            cluster.node(old).kill9()
            killed_at = time.monotonic()
            admin.create_topics([NewTopic("after-kill", 2, 1)], request_timeout=15)["after-kill"].result(20)
            created_s = time.monotonic() - killed_at
            new = cluster.wait_leader(among=survivors, not_=old)
            admin.delete_topics(["after-kill"], request_timeout=15)["after-kill"].result(20)
            deleted_s = time.monotonic() - killed_at
            print("leader %d killed: node %d leads; topic created after %.2f s, deleted after %.2f s"
                  % (old, new, created_s, deleted_s))
            # An election (0.5-1 s timeout, then a round trip) and one resend; 5 s would mean the
            # proposal waited out its deadline.
            self.assertLess(created_s, 5, "creating a topic after the leader was killed took %.1f s" % created_s)
            for n in survivors:
                self.assertNotIn("after-kill", admin_view(n)[2], "node %d" % n.node_id)

    def test_kill_leader_new_leader_fencing_and_rejoin(self):
        with SkiffCluster(3) as cluster:
            old = cluster.wait_leader()
            survivors = [n for n in cluster.nodes if n.node_id != old]
            # One replica per partition, leaders spread: the killed node leads some of them.
            creator = AdminClient({"bootstrap.servers": survivors[0].bootstrap})
            creator.create_topics([NewTopic("single", 6, 1)])["single"].result(30)
            led = sorted(p for p, part in admin_partitions(survivors[0], "single").items()
                         if part["assigned_leader"] == old)
            self.assertTrue(led, "node %d leads a partition of 'single'" % old)
            cluster.node(old).kill9()
            killed_at = time.monotonic()
            new = cluster.wait_leader(among=survivors, timeout=10, not_=old)
            elected_ms = (time.monotonic() - killed_at) * 1000
            print("leader %d killed: node %d leads after %.0f ms" % (old, new, elected_ms))
            self.assertLess(elected_ms, 2000 * 2.5, "leader election took far longer than its 2 s target")

            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                brokers = [admin_view(n)[0] for n in survivors]
                if all(old not in b for b in brokers):
                    break
                time.sleep(0.1)
            fenced_ms = (time.monotonic() - killed_at) * 1000
            print("dead broker %d left out of Metadata after %.0f ms (session timeout 3000 ms)" % (old, fenced_ms))
            for b in brokers:
                self.assertEqual(b, sorted(n.node_id for n in survivors))

            # Its partitions are offline, and every view says so alike: Kafka Metadata (no leader,
            # LEADER_NOT_AVAILABLE), the admin socket and skiffctl (no leader, state offline).
            for n in survivors:
                md = AdminClient({"bootstrap.servers": n.bootstrap}).list_topics("single", timeout=10).topics["single"]
                parts = admin_partitions(n, "single")
                for p in range(6):
                    if p in led:
                        self.assertEqual(md.partitions[p].leader, -1, "node %d, partition %d" % (n.node_id, p))
                        self.assertEqual(md.partitions[p].error.code(), KafkaError.LEADER_NOT_AVAILABLE)
                        self.assertEqual((parts[p]["leader"], parts[p]["state"], parts[p]["offline_replicas"]),
                                         (0, "PARTITION_STATE_OFFLINE", [old]), parts[p])
                    else:
                        self.assertNotEqual(md.partitions[p].leader, -1)
                        self.assertEqual(parts[p]["leader"], md.partitions[p].leader)
                        self.assertEqual(parts[p]["state"], "PARTITION_STATE_OK", parts[p])
                table = skiffctl(n, "topics", "single").splitlines()
                rows = {int(line.split()[1]): line.split() for line in table[1:] if line.strip()}
                for p in led:
                    self.assertEqual(rows[p][2:4], ["none", "offline"], table)
                listed = [line.split() for line in skiffctl(n, "topics").splitlines() if line.startswith("single ")]
                self.assertEqual(listed[0][3], str(len(led)), "OFFLINE column of 'skiffctl topics'")

            admin = AdminClient({"bootstrap.servers": survivors[0].bootstrap})
            admin.create_topics([NewTopic("after-failover", 2, 1)])["after-failover"].result(30)
            self.assertIn("after-failover", admin_view(survivors[1])[2])

            cluster.node(old).start(wait=False)
            cluster.wait_all_ready(timeout=30)
            for n in cluster.nodes:
                deadline = time.monotonic() + 10
                while admin_view(n)[0] != [1, 2, 3] and time.monotonic() < deadline:
                    time.sleep(0.1)
                self.assertEqual(admin_view(n)[0], [1, 2, 3], "node %d after the restart" % n.node_id)
                self.assertEqual(set(p["state"] for p in admin_partitions(n, "single").values()),
                                 {"PARTITION_STATE_OK"}, "node %d after the restart" % n.node_id)

    def test_wrong_peer_map_is_named_precisely_and_nothing_hangs(self):
        cluster = SkiffCluster(3)
        try:
            n1, n2, n3 = cluster.nodes
            unused = SkiffNode().raft_port   # a free port no one listens on
            # Node 3's map is wrong the predecessor's way: node 2's entry points at node 1's port.
            n3.extra_args = ["--peers", "1@127.0.0.1:%d,2@127.0.0.1:%d,3@127.0.0.1:%d" % (unused, n1.raft_port, n3.raft_port)]
            cluster.start(wait=False)
            cluster.wait_all_ready(timeout=30, nodes=[n1, n2])
            expected = "127.0.0.1:%d answered as node 1, config says node 2 lives there" % n1.raft_port
            deadline = time.monotonic() + 10
            while expected not in n3.log() and time.monotonic() < deadline:
                time.sleep(0.05)
            self.assertIn(expected, n3.log())
            self.assertIn("dialled expecting node 2, but this is node 1", n1.log())
            st = cluster.status(3)
            link = [l for l in st["links"] if l["peer"] == 2][0]
            self.assertEqual(link["state"], "refused", st)
            self.assertIn("answered as node 1", link["last_error"])
            self.assertEqual(n3.log().count(expected), 1, "the refusal is logged once, not per retry")
            code, health = http_get(n3.http_port, "/health")
            self.assertEqual(code, 200, "node 3 still answers")
        finally:
            cluster.close()


if __name__ == "__main__":
    unittest.main()
