"""Consumer groups on a real 3-node cluster: confluent-kafka and kafka-python groups consume
everything while members leave and are killed; committed offsets survive restarting every node;
kcat's balanced consumer works too."""
import os
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from harness import SkiffCluster, kcat

TOPIC = "grouped"
PARTITIONS = 6
COUNT = 60000
WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "group_worker.py")


class Worker:
    """One group member in its own process (so it can be killed by pid)."""

    def __init__(self, tmp, kind, bootstrap, group, index):
        self.name = "%s-%d" % (group, index)
        self.out = os.path.join(tmp, self.name + ".out")
        self.stop_file = os.path.join(tmp, self.name + ".stop")
        self.err = open(os.path.join(tmp, self.name + ".err"), "w")
        self.proc = subprocess.Popen([sys.executable, WORKER, kind, bootstrap, group, TOPIC, self.out, self.stop_file],
                                     stdout=self.err, stderr=subprocess.STDOUT)

    def stop(self, timeout=30):
        open(self.stop_file, "w").close()
        try:
            return self.proc.wait(timeout)
        finally:
            self.err.close()

    def kill(self):
        os.kill(self.proc.pid, 9)
        self.proc.wait()
        self.err.close()

    def lines(self):
        if not os.path.exists(self.out):
            return []
        with open(self.out) as f:
            return [l.split() for l in f.read().splitlines() if l.count(" ") == 2]


def consumed(workers):
    values = [l[2] for w in workers for l in w.lines()]
    return values, set(values)


def committed(bootstrap, group, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
        try:
            got = c.committed([TopicPartition(TOPIC, p) for p in range(PARTITIONS)], timeout=10)
            return {tp.partition: tp.offset for tp in got}
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
        finally:
            c.close()


class GroupsTest(unittest.TestCase):
    def test_groups_consume_everything_through_leaves_kills_and_restarts(self):
        started = time.monotonic()
        tmp = tempfile.TemporaryDirectory(prefix="skiff-groups-")
        cluster = SkiffCluster(3, extra_args=["--group-initial-rebalance-delay-ms", "300"]).start()
        workers = {}
        try:
            boot = ",".join(n.bootstrap for n in cluster.nodes)
            admin = AdminClient({"bootstrap.servers": boot})
            admin.create_topics([NewTopic(TOPIC, PARTITIONS, 1)])[TOPIC].result(30)

            groups = {"g-confluent": "confluent", "g-kafka-python": "kafka-python"}
            for group, kind in groups.items():
                workers[group] = [Worker(tmp.name, kind, boot, group, i) for i in range(3)]

            produced = [0]
            failures = []

            def produce():
                p = Producer({"bootstrap.servers": boot, "acks": "all", "linger.ms": 5})
                for i in range(COUNT):
                    p.produce(TOPIC, b"m%05d" % i, partition=i % PARTITIONS,
                              on_delivery=lambda err, msg: failures.append(err) if err else None)
                    if i % 2000 == 1999:
                        p.flush(30)
                        produced[0] = i + 1
                        time.sleep(0.2)
                if p.flush(30) != 0:
                    failures.append("unflushed")
                produced[0] = COUNT

            producer = threading.Thread(target=produce)
            producer.start()

            def wait_produced(n):
                while produced[0] < n and producer.is_alive():
                    time.sleep(0.05)

            # Midway, one member of each group leaves cleanly and one is killed.
            wait_produced(COUNT // 3)
            for group in groups:
                self.assertEqual(workers[group][0].stop(), 0, "leaving member of %s" % group)
            wait_produced(2 * COUNT // 3)
            for group in groups:
                workers[group][1].kill()
            producer.join(120)
            self.assertEqual(failures, [])
            self.assertEqual(produced[0], COUNT)
            print("produced %d messages in %.1f s" % (COUNT, time.monotonic() - started))

            expected = set("m%05d" % i for i in range(COUNT))
            deadline = time.monotonic() + 90
            for group in groups:
                while consumed(workers[group])[1] != expected and time.monotonic() < deadline:
                    time.sleep(0.25)
            for group in groups:
                values, unique = consumed(workers[group])
                self.assertEqual(len(expected - unique), 0, "%s lost %d message(s)" % (group, len(expected - unique)))
                self.assertEqual(unique, expected)
                print("%s: %d consumed, %d duplicate(s) (at-least-once after the kill and the rebalances)"
                      % (group, len(values), len(values) - len(unique)))
            for group in groups:
                for w in workers[group]:
                    self.assertTrue(w.lines(), "%s consumed nothing: every member gets partitions" % w.name)
                self.assertEqual(workers[group][2].stop(), 0)

            ends = {}
            probe = Consumer({"bootstrap.servers": boot, "group.id": "probe"})
            for p in range(PARTITIONS):
                ends[p] = probe.get_watermark_offsets(TopicPartition(TOPIC, p), timeout=10)[1]
            probe.close()
            self.assertEqual(sum(ends.values()), COUNT)
            before = {g: committed(boot, g) for g in groups}
            for g in groups:
                self.assertEqual(before[g], ends, "committed offsets of %s" % g)

            listed = admin.list_groups(timeout=10)
            self.assertTrue(set(groups) <= set(g.id for g in listed), [g.id for g in listed])
            self.assertNotIn("__consumer_offsets", admin.list_topics(timeout=10).topics)

            # Restart every node: the coordinators rebuild groups and offsets from __consumer_offsets.
            for n in cluster.nodes:
                self.assertEqual(n.stop(), 0)
            cluster.start(wait=True, timeout=60)
            for g in groups:
                self.assertEqual(committed(boot, g, timeout=60), before[g], "%s after restarting every node" % g)

            # kcat's balanced consumer (-G) reads the whole topic in a third group.
            r = kcat("-b", boot, "-G", "g-kcat", TOPIC, "-X", "auto.offset.reset=earliest", "-c", str(COUNT),
                     "-q", "-f", "%s\n", timeout=120)
            self.assertEqual(r.returncode, 0, r.stderr)
            got = r.stdout.decode().split()
            self.assertEqual(set(got), expected)
            print("kcat -G: %d message(s); whole test %.1f s" % (len(got), time.monotonic() - started))
        finally:
            for ws in workers.values():
                for w in ws:
                    if w.proc.poll() is None:
                        w.kill()
            for ws in workers.values():
                for w in ws:
                    if w.proc.returncode not in (0, None, -9) and os.path.exists(w.err.name):
                        print("--- %s exited %s:\n%s" % (w.name, w.proc.returncode, open(w.err.name).read()[-3000:]))
            cluster.close()
            tmp.cleanup()


if __name__ == "__main__":
    unittest.main()
