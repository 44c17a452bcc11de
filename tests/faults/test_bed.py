"""The bed itself: it refuses to run without root in one line, removes what a crashed run of its
own left behind, keeps its addresses inside its namespaces, and a cut-off minority node says why
it is not ready."""
import os
import subprocess
import sys
import tempfile
import time
import unittest

import bed as bedlib
from cluster import Cluster

HERE = os.path.dirname(os.path.abspath(__file__))


class BedTest(unittest.TestCase):
    def test_without_root_it_fails_at_once_with_one_line(self):
        r = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            sys.executable, os.path.join(HERE, "run.py"), "--nemesis", "kill", "--time", "1"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertEqual(r.stderr.strip().count("\n"), 0, r.stderr)
        self.assertIn("needs root", r.stderr)

    def test_leftovers_of_a_crashed_run_are_removed(self):
        dead = subprocess.Popen(["true"])
        dead.wait()   # a pid that no longer runs
        ns = "skf%d-hub" % dead.pid
        root = os.path.join(tempfile.gettempdir(), "skiffbed-skf%d" % dead.pid)
        bedlib.sh("ip", "netns", "add", ns)
        os.makedirs(os.path.join(root, "n1"), exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", os.path.join(root, "n1")], check=True)
        sleeper = subprocess.Popen(["ip", "netns", "exec", ns, "sleep", "600"])
        time.sleep(0.2)
        removed = bedlib.leftovers()
        self.assertIn(ns, removed)
        self.assertIn(root, removed)
        self.assertNotIn(ns, bedlib.sh("ip", "netns", "list").stdout)
        self.assertFalse(os.path.exists(root))
        self.assertEqual(bedlib.mounts_under(root), [])
        self.assertIsNotNone(sleeper.wait(10))   # its process was killed with its namespace

    def test_bed_addresses_exist_only_inside_and_everything_goes_at_close(self):
        bed = bedlib.Bed(2).create()
        try:
            outside = subprocess.run(["ip", "-4", "addr"], capture_output=True, text=True).stdout
            self.assertNotIn(bedlib.SUBNET + ".", outside)
            inside = bedlib.sh("ip", "-4", "addr", ns=bed.node_ns(1)).stdout
            self.assertIn(bed.host(1) + "/24", inside)
            ping = bedlib.sh("ping", "-c", "1", "-W", "2", bed.host(2), ns=bed.node_ns(1), check=False)
            self.assertEqual(ping.returncode, 0, ping.stdout)
            bed.cut(2, 1)   # node 2 no longer hears node 1
            ping = bedlib.sh("ping", "-c", "1", "-W", "1", bed.host(2), ns=bed.node_ns(1), check=False)
            self.assertNotEqual(ping.returncode, 0)
            bed.heal([2])
            ping = bedlib.sh("ping", "-c", "1", "-W", "2", bed.host(2), ns=bed.node_ns(1), check=False)
            self.assertEqual(ping.returncode, 0, ping.stdout)
        finally:
            bed.close()
        names = bedlib.sh("ip", "netns", "list").stdout
        self.assertNotIn(bed.prefix + "-", names)
        self.assertFalse(os.path.exists(bed.root))

    def test_an_isolated_node_answers_ready_503_with_the_reason_and_comes_back(self):
        bed = bedlib.Bed(3).create()
        cluster = None
        try:
            with tempfile.TemporaryDirectory(prefix="skiff-bed-") as logs:
                roots = {i: os.path.join(bed.root, "n%d" % i) for i in range(1, 4)}
                bed.enter_client_host()
                cluster = Cluster(bed, 3, roots, logs).start()
                self.assertEqual(cluster.wait_ready(60), [])
                lonely = 3
                for other in (1, 2):
                    bed.cut(lonely, other)
                    bed.cut(other, lonely)
                deadline, ready = time.monotonic() + 30, (True, "")
                while time.monotonic() < deadline and ready[0]:
                    ready = cluster.nodes[lonely].ready()
                    time.sleep(0.1)
                self.assertFalse(ready[0], "isolated node still ready after 30 s")
                self.assertTrue(ready[1] and ready[1] != "no answer", ready)
                self.assertTrue(cluster.nodes[1].ready()[0] or cluster.nodes[2].ready()[0])
                bed.heal([1, 2, 3])
                self.assertEqual(cluster.wait_ready(60), [])
        finally:
            if cluster:
                cluster.close()
            bed.close()

    def test_a_node_paused_past_the_session_timeout_is_fenced_and_rejoins(self):
        from confluent_kafka.admin import AdminClient
        bed = bedlib.Bed(3).create()
        cluster = None

        def brokers_seen_by(node):
            try:
                return sorted(AdminClient({"bootstrap.servers": node.bootstrap}).list_topics(timeout=5).brokers)
            except Exception:
                return None

        def wait_for(what, timeout=30):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if what():
                    return True
                time.sleep(0.2)
            return False

        try:
            with tempfile.TemporaryDirectory(prefix="skiff-bed-") as logs:
                bed.enter_client_host()
                cluster = Cluster(bed, 3, {i: os.path.join(bed.root, "n%d" % i) for i in range(1, 4)}, logs).start()
                self.assertEqual(cluster.wait_ready(60), [])
                leader = cluster.metadata_leader()
                paused = cluster.nodes[leader]   # the zombie-leader case: the controller itself
                witness = cluster.nodes[1 if leader != 1 else 2]
                self.assertTrue(wait_for(lambda: brokers_seen_by(witness) == [1, 2, 3]))
                paused.pause()
                self.assertTrue(wait_for(lambda: brokers_seen_by(witness) == sorted({1, 2, 3} - {leader})),
                                "node %d not fenced: node %d sees %s" % (leader, witness.id, brokers_seen_by(witness)))
                paused.resume()
                self.assertTrue(wait_for(lambda: brokers_seen_by(witness) == [1, 2, 3]),
                                "node %d did not rejoin: %s" % (leader, brokers_seen_by(witness)))
                self.assertEqual(cluster.wait_ready(30), [])
                self.assertEqual(brokers_seen_by(paused), [1, 2, 3])
        finally:
            if cluster:
                cluster.close()
            bed.close()

    def test_a_full_disk_stops_the_metadata_log_until_space_returns_and_the_node_goes_on(self):
        """Regression (found by the bed): a metadata WAL write refused for a full disk made the
        node exit; it now holds the write, says why in /ready, and goes on when space returns."""
        from confluent_kafka.admin import AdminClient, NewTopic
        bed = bedlib.Bed(3).create()
        cluster = None
        try:
            with tempfile.TemporaryDirectory(prefix="skiff-bed-") as logs:
                roots = {i: bed.small_disk("n%d" % i, 64) for i in range(1, 4)}
                bed.enter_client_host()
                cluster = Cluster(bed, 3, roots, logs).start()
                self.assertEqual(cluster.wait_ready(60), [])
                full = cluster.nodes[3]
                filler = os.path.join(roots[3], "filler")
                bed.fill(filler)
                # Every node writes the new topics' entries to its metadata log; a few pages of
                # them, and node 3's log needs a page its filesystem no longer has.
                admin = AdminClient({"bootstrap.servers": cluster.nodes[1].bootstrap})
                deadline, ready, n = time.monotonic() + 60, (True, ""), 0
                while time.monotonic() < deadline and ready[0]:
                    batch = ["full-%d" % (n + i) for i in range(10)]
                    n += len(batch)
                    admin.create_topics([NewTopic(t, 1, 1, config={"retention.ms": "86400000"}) for t in batch])
                    time.sleep(0.3)
                    ready = full.ready()
                self.assertFalse(ready[0], "node 3 stayed ready with a full disk")
                self.assertIn("metadata log cannot be written", ready[1])
                self.assertTrue(full.running(), "node 3 exited on a full disk")
                os.unlink(filler)
                self.assertEqual(cluster.wait_ready(30), [])
                self.assertTrue(full.running())
                with open(full.log_path) as log:
                    self.assertIn("metadata log writable again", log.read())
        finally:
            if cluster:
                cluster.close()
            bed.close()


if __name__ == "__main__":
    unittest.main()
