"""The nemesis schedule with stand-in faults (pure Python, no bed): a heal that cannot happen yet
(a membership removal refused while a split keeps the quorum away) does not hold up the other
faults' heals, is retried, and the final heal waits for its answer."""
import unittest
from unittest import mock

import nemesis


class FakeFault(nemesis.Fault):
    def __init__(self, log, name, refusals=0):
        self.log, self.name, self.refusals = log, name, refusals

    def start(self):
        self.log.append(("start", self.name))
        return self.name + " on"

    def try_stop(self, final):
        if self.refusals and not final:
            self.refusals -= 1
            self.log.append(("refused", self.name))
            return None
        self.log.append(("stop", self.name, final))
        return self.name + " off"

    def stop(self):
        return self.try_stop(True)


class FakeMembership(FakeFault, nemesis.Membership):
    pass


class ScheduleTest(unittest.TestCase):
    def schedule(self, refusals, duration):
        """Runs a schedule of membership and split faults; a membership fault refuses its first
        `refusals` non-final heals."""
        history, log = [], []

        def make(name, *args, **kwargs):
            if name == "membership":
                return FakeMembership(log, name, refusals)
            return FakeFault(log, name)
        kinds = {"membership": FakeMembership, "split": FakeFault}
        with mock.patch.object(nemesis, "make", make), mock.patch.object(nemesis, "kind_of", kinds.get), \
                mock.patch.object(nemesis.Schedule, "RETRY_S", 0.1):
            s = nemesis.Schedule(["membership", "split"], nemesis.random.Random(3), history.append, None,
                                 quiet_s=(0.01, 0.02), fault_s=(0.2, 0.2), max_faults=2)
            s.run(duration)
        return history, log

    def test_a_refused_heal_waits_without_holding_up_the_others(self):
        # The membership fault starts first and is due first, refuses twice; the split due at the
        # same time is healed before it, and the membership heal happens on a later try.
        with mock.patch.object(nemesis.Membership, "min_s", 0.0):
            history, log = self.schedule(2, 1.5)
        # Every membership fault was refused twice before its heal, and meanwhile a split that
        # ran beside it was healed on time.
        heals = [i for i, e in enumerate(log) if e == ("stop", "membership", False)]
        self.assertGreater(len(heals), 0, log)
        for heal in heals:
            start = max(i for i, e in enumerate(log[:heal]) if e == ("start", "membership"))
            self.assertEqual(2, log[start:heal].count(("refused", "membership")), log)
        refused = log.index(("refused", "membership"))
        healed = next(i for i, e in enumerate(log) if e[:2] == ("stop", "membership"))
        self.assertTrue(any(e[:2] == ("stop", "split") for e in log[refused:healed]), log)
        # Each fault is recorded as stopped once, and only when it really was.
        stopped = [h for h in history if h["f"] == "stop"]
        self.assertEqual(sorted(set(h["fault_id"] for h in stopped)), sorted(h["fault_id"] for h in stopped))
        self.assertTrue(all(h["what"].endswith("off") for h in stopped), stopped)

    def test_the_final_heal_gets_an_answer(self):
        with mock.patch.object(nemesis.Membership, "min_s", 0.0):
            history, log = self.schedule(1000, 0.5)
        self.assertIn(("stop", "membership", True), log)
        self.assertNotIn(("stop", "membership", False), log)
        started = [h["fault_id"] for h in history if h["f"] == "start"]
        self.assertEqual(sorted(started), sorted(h["fault_id"] for h in history if h["f"] == "stop"))


if __name__ == "__main__":
    unittest.main()
