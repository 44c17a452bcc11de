"""Partition replication as an operator sees it (issue #15, "Visible") on 3 real skiffd processes:
a topic of replication factor 3 and min.insync.replicas 2; one follower is paused (SIGSTOP) past
replica.lag.time.max.ms while records keep coming.

- `skiffctl --json partitions` (every broker's admin socket asked, each partition's replication
  taken from its leader) shows the paused follower leave the ISR, with a lag that grows as records
  are appended, and its last caught-up age growing;
- `skiffctl partitions --under-replicated` lists the partition and says which node did not answer;
- after SIGCONT the follower catches up and re-enters the ISR: lag 0, nothing under-replicated.
Every port is free; every process is started and stopped here.
"""
import json
import os
import signal
import subprocess
import time
import unittest

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from harness import SkiffCluster, poll, sample_value, scrape
from replicas import wait_isr, wait_state

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
TOPIC = "replicated-visible"
LAG_TIME_MAX_MS = 2000


def skiffctl(*args, timeout=60):
    return subprocess.run([SKIFFCTL] + list(args), capture_output=True, text=True, timeout=timeout)


def admins(nodes):
    return ",".join("127.0.0.1:%d" % n.admin_port for n in nodes)


class ReplicationAdminTest(unittest.TestCase):
    def partition(self, nodes):
        """Partition 0 of TOPIC as `skiffctl --json partitions` merges it (a paused node's admin
        socket accepts the connection and never answers: 2 s, then it is left out)."""
        r = skiffctl("--admin", admins(nodes), "--timeout-ms", "2000", "--json", "partitions", TOPIC)
        self.assertEqual(r.returncode, 0, r.stderr)
        (p,) = [p for p in json.loads(r.stdout)["partitions"] if p["partition"] == 0]
        return p, r.stderr

    def poll(self, nodes, accept, what, timeout=30):
        """Partition 0 once `accept` takes it; the failure shows the last one seen."""
        seen = []

        def accepted():
            seen[:] = [self.partition(nodes)[0]]
            return seen[0] if accept(seen[0]) else None
        try:
            return poll(what, accepted, timeout, 0.2)
        except AssertionError as e:
            raise AssertionError("%s; last partition: %s" % (e, json.dumps(seen[0] if seen else None))) from None

    def test_a_paused_follower_leaves_the_isr_with_a_growing_lag_and_returns(self):
        cluster = SkiffCluster(3, extra_args=["--replica-lag-time-max-ms", str(LAG_TIME_MAX_MS)])
        self.addCleanup(cluster.close)
        cluster.start()
        cluster.wait_leader()
        admin = AdminClient({"bootstrap.servers": cluster.nodes[0].bootstrap})   # alive until answered
        admin.create_topics([NewTopic(TOPIC, 1, 3, config={"min.insync.replicas": "2"})])[TOPIC].result(30)
        state = wait_state(cluster.nodes, TOPIC, 0, lambda s: len(s.replicas) == 3, "3 replicas", 10)
        state = wait_isr(cluster.nodes, TOPIC, 0, state.replicas, timeout=30)
        leader = cluster.node(state.leader)
        producer = Producer({"bootstrap.servers": leader.bootstrap, "acks": 1, "linger.ms": 0})

        def produce(n, tag):
            for i in range(n):
                producer.produce(TOPIC, b"%s-%d" % (tag.encode(), i))
            self.assertEqual(producer.flush(30), 0, "acks=1 is answered by the leader alone")

        produce(20, "warm")
        synced = self.poll(cluster.nodes, lambda p: p["replication"] is not None
                           and p["replication"]["high_watermark"] >= 20
                           and all(f["in_isr"] and f["lag"] == 0 for f in p["replication"]["followers"]),
                           "every follower in the ISR with lag 0 after 20 records")
        self.assertEqual(synced["leader"], leader.node_id)
        self.assertEqual(sorted(f["broker"] for f in synced["replication"]["followers"]),
                         sorted(i for i in state.replicas if i != leader.node_id), "the leader reports each follower")
        self.assertEqual(synced["replication"]["leader_epoch"], synced["leader_epoch"])

        paused = cluster.node([i for i in state.replicas if i != leader.node_id][0])
        self.addCleanup(lambda: paused.proc.poll() is None and paused.proc.send_signal(signal.SIGCONT))
        paused.proc.send_signal(signal.SIGSTOP)
        up = [n for n in cluster.nodes if n is not paused]

        def follower(p):
            (f,) = [f for f in (p["replication"] or {"followers": []})["followers"] if f["broker"] == paused.node_id] or [None]
            return f

        produce(20, "paused")
        out = self.poll(up, lambda p: p["replication"] is not None and p["replication"]["leader_epoch"] == p["leader_epoch"]
                        and paused.node_id not in p["isr"] and follower(p) and not follower(p)["in_isr"]
                        and follower(p)["lag"] > 0 and p["under_replicated"],
                        "node %d out of the ISR with a lag" % paused.node_id,
                        timeout=LAG_TIME_MAX_MS / 1000 + 30)
        first = follower(out)
        print("  node %d paused: out of the ISR %s, lag %d, last caught up %d ms ago" % (
            paused.node_id, out["isr"], first["lag"], first["caught_up_age_ms"]))
        produce(30, "more")
        grown = self.poll(up, lambda p: follower(p) and follower(p)["lag"] >= first["lag"] + 30,
                          "the lag of node %d growing past %d" % (paused.node_id, first["lag"] + 30))
        self.assertGreater(follower(grown)["caught_up_age_ms"], first["caught_up_age_ms"],
                           "its last caught-up time recedes while it is paused")

        # /metrics of the leader: the partition counted under-replicated, the shrink it asked
        # for, the paused follower's lag, and the followers' Fetch requests split from consumers'
        # (the replica variant of Fetch, which counts them in its total too).
        m = scrape(leader)
        self.assertEqual(sample_value(m, "skiff_under_replicated_partitions"), 1)
        self.assertGreaterEqual(sample_value(m, "skiff_isr_shrinks_total"), 1)
        self.assertGreaterEqual(sample_value(m, "skiff_max_follower_lag_messages"), first["lag"] + 30)
        followers = sample_value(m, "skiff_kafka_requests_by_variant_total", api="Fetch", variant="replica")
        self.assertGreater(followers, 0)
        self.assertGreater(sample_value(m, "skiff_kafka_request_by_variant_seconds_count", api="Fetch", variant="replica"), 0)
        self.assertGreaterEqual(sample_value(m, "skiff_kafka_requests_total", api="Fetch"), followers)
        self.assertNotIn("consumer", [l.get("variant") for _, l, _ in m["skiff_kafka_requests_by_variant_total"]["samples"]],
                         "no consumer fetched: followers' fetches are not counted as consumers'")

        r = skiffctl("--admin", admins(up), "--timeout-ms", "2000", "partitions", "--under-replicated")
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = [line for line in r.stdout.splitlines()[1:] if line.split()[:1] == [TOPIC]]
        self.assertEqual(len(rows), 1, r.stdout)
        self.assertIn("under-replicated", rows[0])
        self.assertIn("%d:" % paused.node_id, rows[0], "REPLICA LAG names the paused follower")
        self.assertIn("node %d at 127.0.0.1:%d" % (paused.node_id, paused.admin_port), r.stderr,
                      "the node that did not answer is named")

        paused.proc.send_signal(signal.SIGCONT)
        back = self.poll(cluster.nodes, lambda p: sorted(p["isr"]) == sorted(state.replicas) and not p["under_replicated"]
                         and p["replication"] is not None
                         and all(f["in_isr"] and f["lag"] == 0 for f in p["replication"]["followers"]),
                         "node %d back in the ISR with lag 0" % paused.node_id, timeout=60)
        print("  node %d back: ISR %s" % (paused.node_id, back["isr"]))
        r = skiffctl("--admin", admins(cluster.nodes), "partitions", "--under-replicated")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([line for line in r.stdout.splitlines()[1:] if line.strip()], [],
                         "nothing under-replicated once it is back:\n" + r.stdout)
        m = scrape(leader)
        self.assertEqual(sample_value(m, "skiff_under_replicated_partitions"), 0)
        self.assertGreaterEqual(sample_value(m, "skiff_isr_expands_total"), 1)


if __name__ == "__main__":
    unittest.main()
