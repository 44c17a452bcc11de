"""Short fault runs (fixed seeds, about a minute each): any checker finding fails the test.

What they show at replication factor 1 (issue #14): acknowledged writes to a partition whose
node was killed, paused, cut off or out of disk are all there afterwards, at their offsets, read
through every node; no duplicates with idempotence; one leader per term; metadata converges and
every node is ready once healed. Replay a run with tests/faults/run.py --nemesis N --seed S.

ReplicatedFaultRunTest is the same at replication factor 3 (issue #15). It is NOT part of this
module's run (load_tests below leaves it out, so ctest faults_faults stays the 5 runs at factor 1):
ctest faults_faults_replicated runs it by name (test_faults_replicated.py).
"""
import os
import time
import unittest

import checker
import nemesis
from run import Run, table


class FaultRuns(unittest.TestCase):
    """One run through the checker (no test of its own)."""

    def run_faults(self, nemeses, seed, duration=30, max_faults=1, **replication):
        run = Run(seed=seed, nemeses=nemeses, duration=duration, max_faults=max_faults, **replication)
        result = run.execute()
        print(table(result, nemeses), flush=True)
        self.assertTrue(checker.passed(result), "findings (evidence in %s): %s" % (run.folder, result["findings"]))
        run.cleanup(result)
        # Faults happened and clients kept working through them: not a run where nothing happened.
        self.assertGreater(len(result["availability"]), 0)
        self.assertGreater(result["stats"]["ok"], 1000)
        return result


class FaultRunTest(FaultRuns):
    def test_kill(self):
        self.run_faults(["kill", "kill-leader", "kill-partition-leader"], seed=1401)

    def test_pause_past_the_session_timeout(self):
        self.run_faults(["pause", "pause-leader"], seed=1402)

    def test_network_partitions(self):
        self.run_faults(["isolate", "split", "bridge", "one-way"], seed=1403)

    def test_disk_full(self):
        result = self.run_faults(["disk-full"], seed=1404)
        self.assertEqual(result["stats"]["failed"], 0)

    def test_compose_slow_links_and_two_faults_at_once(self):
        self.run_faults(nemesis.KINDS, seed=1405, duration=40, max_faults=2)


class ReplicatedFaultRunTest(FaultRuns):
    """Replication factor 3, min.insync.replicas 2 (issue #15): kills of any node and of the
    partition leader, and a paused node past its session timeout; besides the checks at factor 1,
    the replicas' logs must be identical below the high watermark once healed and every ISR full."""

    def test_replication_factor_3_kill_and_pause(self):
        result = self.run_faults(["kill", "kill-partition-leader", "pause"], seed=1501, duration=40,
                                 replication_factor=3, min_insync=2)
        self.assertEqual(result["stats"]["replica_checks"], 4, "every partition's replicas were compared")


def load_tests(loader, tests, pattern):
    """The module's own run: the factor-1 runs only (ReplicatedFaultRunTest runs when named)."""
    return loader.loadTestsFromTestCase(FaultRunTest)


if __name__ == "__main__":
    unittest.main()
