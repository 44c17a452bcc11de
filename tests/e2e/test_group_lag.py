"""Consumer groups and partition sizes as an operator sees them (issue #17) on 3 real skiffd
processes: 300 records in a 3-partition topic of replication factor 3 and 10 in a single-replica
topic; a confluent-kafka consumer group reads 150 and commits exactly what it read (a lagging
group).

- `skiffctl --json groups` (every broker asked, each group from its coordinator) shows the group
  Stable with its member's client id, host and assignment while it is connected, Empty once it
  left, with the committed offsets and a lag of exactly 300 - 150 in all;
- the coordinator's /metrics has the lag per partition and the member count;
- `skiffctl partitions` shows each leader's log start, bytes on disk and segments for every
  partition that got data, the single-replica one included, and the leader's /metrics the size.
Every port is free; every process is started and stopped here.
"""
import json
import os
import subprocess
import time
import unittest

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from harness import SkiffCluster, poll, sample_value, scrape

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
TOPIC = "lagging-topic"
SOLO = "solo-topic"
GROUP = "lagging-group"
CLIENT_ID = "lag-client"
PARTITIONS = 3
COUNT = 300
CONSUMED = 150


def skiffctl(*args, timeout=60):
    return subprocess.run([SKIFFCTL] + list(args), capture_output=True, text=True, timeout=timeout)


def cells_of(table, columns):
    """The first row's cells of a skiffctl table under the named columns (cells are left-aligned
    under their header, columns two spaces apart at least)."""
    header, row = table.splitlines()[:2]
    return {c: row[header.index(c):].split()[0] for c in columns}


class GroupLagTest(unittest.TestCase):
    def ctl_json(self, cluster, *args):
        admins = ",".join("127.0.0.1:%d" % n.admin_port for n in cluster.nodes)
        r = skiffctl("--admin", admins, "--json", *args)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)

    def poll_json(self, what, fetch, accept, timeout=30):
        """fetch() once accept takes it; the failure shows the last one seen."""
        seen = []

        def accepted():
            seen[:] = [fetch()]
            return seen[0] if accept(seen[0]) else None
        try:
            return poll(what, accepted, timeout, 0.2)
        except AssertionError as e:
            raise AssertionError("%s; last seen: %s" % (e, json.dumps(seen[0] if seen else None))) from None

    def group(self, cluster):
        groups = [g for g in self.ctl_json(cluster, "groups")["groups"] if g["group_id"] == GROUP]
        return groups[0] if groups else None

    def test_a_lagging_group_and_partition_sizes(self):
        cluster = SkiffCluster(3, extra_args=["--group-initial-rebalance-delay-ms", "300"])
        self.addCleanup(cluster.close)
        cluster.start()
        cluster.wait_leader()
        boot = ",".join(n.bootstrap for n in cluster.nodes)
        admin = AdminClient({"bootstrap.servers": boot})
        for name, fs in admin.create_topics([NewTopic(TOPIC, PARTITIONS, 3), NewTopic(SOLO, 1, 1)]).items():
            fs.result(30)
        producer = Producer({"bootstrap.servers": boot, "acks": "all", "linger.ms": 5})
        for i in range(COUNT):
            producer.produce(TOPIC, b"r%04d" % i, partition=i % PARTITIONS)
        for i in range(10):
            producer.produce(SOLO, b"s%d" % i)
        self.assertEqual(producer.flush(30), 0)

        consumer = Consumer({"bootstrap.servers": boot, "group.id": GROUP, "client.id": CLIENT_ID,
                             "enable.auto.commit": False, "auto.offset.reset": "earliest"})
        self.addCleanup(consumer.close)
        consumer.subscribe([TOPIC])
        position = {p: 0 for p in range(PARTITIONS)}
        read = 0
        deadline = time.monotonic() + 60
        while read < CONSUMED:
            self.assertLess(time.monotonic(), deadline, "read only %d of %d records in 60 s" % (read, CONSUMED))
            msg = consumer.poll(1.0)
            if msg is None or msg.error():
                continue
            self.assertEqual(msg.offset(), position[msg.partition()], "records are read in order")
            position[msg.partition()] = msg.offset() + 1
            read += 1
        # Exactly what was read, every partition (0 where nothing was): the lag is COUNT - CONSUMED.
        consumer.commit(offsets=[TopicPartition(TOPIC, p, position[p]) for p in range(PARTITIONS)], asynchronous=False)
        per_partition = COUNT // PARTITIONS
        expected_lag = {p: per_partition - position[p] for p in range(PARTITIONS)}
        print("  committed %s: lag %s" % (position, expected_lag))

        def settled(g):
            return (g is not None and g["state"] == "Stable" and len(g["members"]) == 1
                    and {o["partition"]: o["committed"] for o in g["offsets"]} == position
                    and all(o["lag_known"] and o["lag"] == expected_lag[o["partition"]] for o in g["offsets"]))
        g = self.poll_json("%s Stable with its commits and lag" % GROUP, lambda: self.group(cluster), settled)
        self.assertEqual(g["protocol_type"], "consumer")
        self.assertNotEqual(g["protocol"], "")
        self.assertGreaterEqual(g["generation"], 1)
        self.assertEqual(g["total_lag"], COUNT - CONSUMED)
        (member,) = g["members"]
        self.assertEqual(member["client_id"], CLIENT_ID)
        self.assertIn("127.0.0.1", member["client_host"])
        self.assertTrue(member["member_id"].startswith(CLIENT_ID), member["member_id"])
        self.assertEqual([(a["topic"], sorted(a["partitions"])) for a in member["assignment"]],
                         [(TOPIC, list(range(PARTITIONS)))])
        for o in g["offsets"]:
            self.assertEqual(o["topic"], TOPIC)
            self.assertEqual(o["high_watermark"], per_partition)
        coordinator = cluster.node(g["coordinator"])

        # The coordinator hosts a replica of every partition (replication factor 3): its /metrics
        # has every partition's lag once its watermark is the leader's.
        def lag_series():
            m = scrape(coordinator)
            try:
                return ({p: sample_value(m, "skiff_consumer_group_lag", group=GROUP, topic=TOPIC, partition=p)
                         for p in range(PARTITIONS)}, sample_value(m, "skiff_consumer_group_members", group=GROUP))
            except KeyError:
                return None
        self.poll_json("the lag in node %d's /metrics" % coordinator.node_id, lag_series,
                       lambda s: s is not None and s == ({p: float(l) for p, l in expected_lag.items()}, 1.0))

        # A group that only commits (no members, no protocol), named so that /metrics must escape
        # it: the exposition format writes a quote and a backslash with a backslash before each.
        odd = 'odd "group" \\ name'
        committer = Consumer({"bootstrap.servers": boot, "group.id": odd, "enable.auto.commit": False})
        committer.commit(offsets=[TopicPartition(TOPIC, 0, 30)], asynchronous=False)
        committer.close()
        (o,) = self.poll_json("the committing-only group", lambda: [
            x for x in self.ctl_json(cluster, "groups")["groups"] if x["group_id"] == odd],
            lambda found: len(found) == 1 and found[0]["offsets"] and found[0]["offsets"][0]["lag_known"])
        self.assertEqual((o["state"], o["protocol_type"], o["members"]), ("Empty", "", []))
        self.assertEqual([(x["partition"], x["committed"], x["lag"]) for x in o["offsets"]], [(0, 30, per_partition - 30)])
        self.assertEqual(o["total_lag"], per_partition - 30)
        escaped = 'odd \\"group\\" \\\\ name'
        odd_metrics = scrape(cluster.node(o["coordinator"]))
        self.assertEqual(sample_value(odd_metrics, "skiff_consumer_group_lag", group=escaped, topic=TOPIC, partition=0),
                         per_partition - 30)
        self.assertEqual(sample_value(odd_metrics, "skiff_consumer_group_members", group=escaped), 0)

        # The text views: the group's line, its partitions with their member, a group nobody has.
        admins = ",".join("127.0.0.1:%d" % n.admin_port for n in cluster.nodes)
        r = skiffctl("--admin", admins, "groups")
        self.assertEqual(r.returncode, 0, r.stderr)
        line = [l.split() for l in r.stdout.splitlines() if l.startswith(GROUP + " ")]
        self.assertEqual(len(line), 1, r.stdout)
        self.assertEqual(line[0][1], "Stable")
        self.assertEqual(line[0][-1], str(COUNT - CONSUMED), r.stdout)
        r = skiffctl("--admin", admins, "groups", GROUP)
        self.assertEqual(r.returncode, 0, r.stderr)
        rows = [x for x in (l.split() for l in r.stdout.splitlines()) if x[:2] == [GROUP, TOPIC]]
        self.assertEqual([(int(x[2]), int(x[3]), int(x[4]), int(x[5]), x[7]) for x in rows],
                         [(p, position[p], per_partition, expected_lag[p], CLIENT_ID) for p in range(PARTITIONS)],
                         r.stdout)
        r = skiffctl("--admin", admins, "groups", "no-such-group")
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn("group 'no-such-group' is coordinated by no broker that answered (no such group)", r.stderr)

        # Sizes from every partition's leader, the single-replica partition's too.
        def sized(partitions):
            mine = [p for p in partitions if p["topic"] in (TOPIC, SOLO)]
            return len(mine) == PARTITIONS + 1 and all(
                p["replication"] is not None and p["replication"]["log_size_reported"]
                and p["replication"]["high_watermark"] == (per_partition if p["topic"] == TOPIC else 10)
                for p in mine)
        partitions = self.poll_json("every partition's size from its leader",
                                    lambda: self.ctl_json(cluster, "partitions")["partitions"], sized)
        for p in partitions:
            if p["topic"] not in (TOPIC, SOLO):
                continue
            rep = p["replication"]
            self.assertEqual(rep["log_start"], 0, p)
            self.assertGreater(rep["size_bytes"], 0, p)
            self.assertGreaterEqual(rep["segments"], 1, p)
        solo = [p for p in partitions if p["topic"] == SOLO][0]
        self.assertEqual(len(solo["replicas"]), 1)
        leader = cluster.node(solo["leader"])
        self.assertEqual(sample_value(scrape(leader), "skiff_partition_log_size_bytes", topic=SOLO, partition=0),
                         solo["replication"]["size_bytes"])
        r = skiffctl("--admin", admins, "partitions", SOLO)
        self.assertEqual(r.returncode, 0, r.stderr)
        cells = cells_of(r.stdout, ["LOG START", "BYTES", "SEGMENTS"])
        self.assertEqual(cells["BYTES"], str(solo["replication"]["size_bytes"]), r.stdout)
        self.assertEqual(cells["SEGMENTS"], str(solo["replication"]["segments"]), r.stdout)
        self.assertEqual(cells["LOG START"], "0", r.stdout)

        # The member leaves: the group is Empty, its commits and lag stay.
        consumer.close()
        g = self.poll_json("%s Empty once its member left" % GROUP, lambda: self.group(cluster),
                           lambda g: g is not None and g["state"] == "Empty" and not g["members"])
        self.assertEqual(g["total_lag"], COUNT - CONSUMED)
        self.assertEqual({o["partition"]: o["lag"] for o in g["offsets"]}, expected_lag)


if __name__ == "__main__":
    unittest.main()
