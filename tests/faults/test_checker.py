"""The checker on hand-made histories: each kind of anomaly is found, and a clean history passes."""
import unittest

from checker import check, passed


def send(process, value, partition, offset, t=0.0, outcome="ok", topic="q"):
    ops = [{"process": process, "type": "invoke", "f": "send", "time": t, "value": value, "topic": topic}]
    done = {"process": process, "type": outcome, "f": "send", "time": t + 0.01, "value": value, "topic": topic}
    if outcome == "ok":
        done.update(partition=partition, offset=offset)
    return ops + [done]


def final(partition, offset, value, node=1, topic="q"):
    return {"process": "final", "type": "ok", "f": "final", "time": 100.0, "topic": topic,
            "partition": partition, "offset": offset, "value": value, "node": node}


def read(process, partition, offset, value, t=1.0, topic="q"):
    return {"process": process, "type": "ok", "f": "read", "time": t, "topic": topic,
            "partition": partition, "offset": offset, "value": value}


def clean():
    h = send("p1", "p1-0", 0, 0) + send("p1", "p1-1", 1, 0) + send("p2", "p2-0", 0, 1)
    h += [read("c1", 0, 0, "p1-0"), read("c1", 0, 1, "p2-0"), read("c1", 1, 0, "p1-1")]
    h += [final(0, 0, "p1-0"), final(0, 1, "p2-0"), final(1, 0, "p1-1")]
    return h


class CheckerTest(unittest.TestCase):
    def test_a_clean_history_passes(self):
        result = check(clean())
        self.assertTrue(passed(result), result["findings"])
        self.assertEqual(result["stats"]["ok"], 3)

    def test_an_empty_history_fails(self):
        result = check([])
        self.assertEqual(len(result["findings"]["empty"]), 2)

    def test_acknowledged_but_never_looked_for_fails(self):
        result = check(send("p1", "p1-0", 0, 0))
        self.assertIn("no final read", result["findings"]["empty"][0])

    def test_an_acknowledged_record_missing_from_the_final_read_is_lost(self):
        h = [op for op in clean() if not (op.get("f") == "final" and op["value"] == "p2-0")]
        result = check(h)
        self.assertEqual(result["findings"]["lost"], ["p2-0 acknowledged at q-0 offset 1; final read has nothing there"])

    def test_an_acknowledged_record_overwritten_is_lost_and_inconsistent(self):
        h = clean() + send("p3", "p3-0", 0, 2)
        h += [read("c1", 0, 2, "p3-0"), final(0, 2, "p1-1x")]
        result = check(h + send("p4", "p1-1x", 5, 5, outcome="info"))
        self.assertIn("lost", result["findings"])
        self.assertIn("inconsistent", result["findings"])

    def test_one_offset_two_values_through_different_nodes_is_inconsistent(self):
        h = clean() + [dict(final(0, 1, "p1-1"), node=2)]
        result = check(h)
        self.assertTrue(any("q-0 offset 1" in m for m in result["findings"]["inconsistent"]))

    def test_one_value_at_two_offsets_is_a_duplicate(self):
        h = clean() + [final(0, 2, "p1-0")]
        result = check(h)
        self.assertEqual(len(result["findings"]["duplicate"]), 1)
        self.assertIn("p1-0", result["findings"]["duplicate"][0])

    def test_a_value_never_sent_is_unexpected(self):
        h = clean() + [read("c1", 0, 2, "ghost"), final(0, 2, "ghost")]
        self.assertEqual(check(h)["findings"]["unexpected"], ["ghost read but never sent"])

    def test_an_unknown_outcome_that_was_written_is_not_a_finding(self):
        h = clean() + send("p3", "p3-0", 0, 0, outcome="info") + [final(0, 2, "p3-0")]
        self.assertTrue(passed(check(h)))

    def test_offsets_going_back_within_an_assignment_are_non_monotonic(self):
        h = clean() + [read("c1", 0, 0, "p1-0", t=2.0)]
        self.assertEqual(len(check(h)["findings"]["non-monotonic"]), 1)

    def test_offsets_starting_over_after_a_new_assignment_are_fine(self):
        h = clean() + [{"process": "c1", "type": "ok", "f": "assign", "time": 1.5, "partitions": [0, 1]},
                       read("c1", 0, 0, "p1-0", t=2.0)]
        self.assertTrue(passed(check(h)))

    def test_a_committed_offset_going_back_is_non_monotonic(self):
        commit = {"process": "c1", "type": "ok", "f": "commit", "group": "g", "topic": "q"}
        h = clean() + [dict(commit, time=1, offsets={"0": 2}), dict(commit, time=2, offsets={"0": 1})]
        self.assertEqual(check(h)["findings"]["non-monotonic"], ["group g committed q-0 offset 1 after 2"])

    def test_the_history_is_judged_in_time_order_not_file_order(self):
        commit = {"process": "c1", "type": "ok", "f": "commit", "group": "g", "topic": "q"}
        h = clean() + [dict(commit, time=2, offsets={"0": 2}), dict(commit, time=1, offsets={"0": 1})]
        self.assertTrue(passed(check(h)), check(h)["findings"])

    def test_a_node_that_exited_by_itself(self):
        h = clean() + [{"process": "nemesis", "type": "info", "f": "exited", "time": 5, "node": 2,
                        "value": "node 2 exited by itself (code 1)"}]
        self.assertEqual(check(h)["findings"]["exited"], ["node 2 exited by itself (code 1)"])

    def test_a_client_that_exited_by_itself_stalled_the_load(self):
        h = clean() + [{"process": "run", "type": "info", "f": "client-exited", "time": 5,
                        "value": "client p2 exited by itself (code 1): Traceback"}]
        self.assertEqual(check(h)["findings"]["stalled"], ["client p2 exited by itself (code 1): Traceback"])

    def test_a_producer_whose_sends_stop_for_long_stalled(self):
        h = clean() + send("p1", "p1-2", 0, 2, t=40.0) + [read("c1", 0, 2, "p1-2", t=41), final(0, 2, "p1-2")]
        self.assertEqual(check(h)["findings"]["stalled"], [
            "p1 invoked no send from 0.0 s to 40.0 s of the run (its loop stopped)",
            "p2 invoked no send after 0.0 s of the run, the other producers until 40.0 s (its loop stopped)"])

    def test_after_the_heal_every_producer_is_acknowledged_and_every_consumer_reads(self):
        healed = {"process": "nemesis", "type": "info", "f": "healed", "time": 10.0, "value": "all healed"}
        after = send("p1", "p1-2", 0, 2, t=11) + send("p2", "p2-1", 1, 1, t=11) + [
            read("c1", 0, 2, "p1-2", t=12), read("c1", 1, 1, "p2-1", t=12), final(0, 2, "p1-2"), final(1, 1, "p2-1")]
        self.assertTrue(passed(check(clean() + [healed] + after)))
        # p2's sends after the heal never answered, and c2 assigned but reading nothing since then.
        held = [op for op in after if op.get("value") != "p2-1" or op["type"] == "invoke"] + [
            {"process": "c2", "type": "ok", "f": "assign", "time": 2.0, "partitions": [1]}]
        self.assertEqual(check(clean() + [healed] + held)["findings"]["stalled"], [
            "p2: no send acknowledged after every fault healed at 10.0 s of the run (last acknowledged at 0.0 s)",
            "c2: nothing read after every fault healed at 10.0 s of the run (none read in the whole run)"])

    def test_an_acknowledgement_without_an_offset_needs_the_value_somewhere(self):
        h = clean() + send("p3", "p3-0", 1, 1)
        h[-1]["offset"] = None   # librdkafka's delivery report carried no offset
        self.assertEqual(check(h + [final(1, 1, "p3-0")])["findings"], {})
        self.assertEqual(check(h)["findings"]["lost"],
                         ["p3-0 acknowledged (no offset reported) to q-1; the final read has it nowhere"])

    def test_a_partition_the_healed_cluster_cannot_read_is_unreadable(self):
        h = clean() + [{"process": "final", "type": "fail", "f": "final", "node": 2, "time": 100.0, "partition": 1,
                        "error": "no high watermark: Local: All broker connections are down"}]
        r = check(h)
        self.assertFalse(passed(r))
        self.assertEqual(r["findings"]["unreadable"],
                         ["node 2, partition 1: no high watermark: Local: All broker connections are down"])

    def test_two_leaders_in_one_term(self):
        status = {"process": "observer", "type": "ok", "f": "status", "time": 1}
        h = clean() + [dict(status, node=1, term=3, leader=1), dict(status, node=2, term=3, leader=2),
                       dict(status, node=3, term=4, leader=2)]
        self.assertEqual(check(h)["findings"]["metadata"], ["term 3 has leaders [1, 2]"])

    def test_metadata_that_does_not_converge_once_healed(self):
        view = {"process": "observer", "type": "ok", "f": "final-metadata", "time": 9, "ready": True}
        h = clean() + [{"process": "m1", "type": "ok", "f": "create-topic", "time": 1, "value": "t1"},
                       dict(view, node=1, topics=["q", "t1"], brokers=[1, 2, 3]),
                       dict(view, node=2, topics=["q"], brokers=[1, 2, 3]),
                       dict(view, node=3, topics=["q", "t1"], brokers=[1, 3], ready=False, reason="fenced")]
        found = check(h)["findings"]["metadata"]
        self.assertIn("node 2 does not show acknowledged topics ['t1']", found)
        self.assertIn("node 3 not ready once healed: fenced", found)
        self.assertTrue(any("registries differ" in m for m in found))

    def test_deleted_topics_and_added_partitions_must_show_everywhere(self):
        view = {"process": "observer", "type": "ok", "f": "final-metadata", "time": 9, "ready": True,
                "brokers": [1, 2], "controller": 1}
        meta = {"process": "m1", "type": "ok"}
        h = clean() + [dict(meta, f="create-topic", time=1, value="a", partitions=1),
                       dict(meta, f="create-partitions", time=2, value="a", partitions=3),
                       dict(meta, f="create-topic", time=3, value="b", partitions=1),
                       dict(meta, f="delete-topic", time=4, value="b"),
                       dict(view, node=1, topics={"q": 2, "a": 3}),
                       dict(view, node=2, topics={"q": 2, "a": 2, "b": 1}, controller=1)]
        found = check(h)["findings"]["metadata"]
        self.assertIn("node 2 still shows deleted topics ['b']", found)
        self.assertIn("node 2 shows fewer partitions than acknowledged: ['a (2 < 3)']", found)
        self.assertIn("node 2 names controller 1, not itself, once healed", found)
        self.assertEqual(len(found), 3, found)

    def test_a_topic_whose_delete_had_an_unknown_outcome_may_be_absent(self):
        view = {"process": "observer", "type": "ok", "f": "final-metadata", "time": 9, "ready": True,
                "brokers": [1], "controller": 1, "node": 1, "topics": {"q": 2}}
        h = clean() + [{"process": "m1", "type": "ok", "f": "create-topic", "time": 1, "value": "a"},
                       {"process": "m1", "type": "info", "f": "delete-topic", "time": 2, "value": "a",
                        "error": "Local: Timed out"}, view]
        self.assertTrue(passed(check(h)), check(h)["findings"])
        h[-1] = dict(view, topics={"q": 2, "a": 1})   # or still there: no claim either way
        self.assertTrue(passed(check(h)), check(h)["findings"])

    def replicas_op(self, logs, isr=(1, 2, 3), hw=5, leader=1):
        return {"process": "observer", "type": "ok", "f": "replicas", "time": 120.0, "topic": "q", "partition": 0,
                "replicas": [1, 2, 3], "isr": list(isr), "leader": leader, "high_watermark": hw,
                "logs": {str(i): batches for i, batches in logs.items()}, "absent": []}

    def test_replicas_identical_below_the_high_watermark_pass(self):
        log = [[0, 2, 0, 111], [3, 4, 1, 222]]
        # A follower may hold more than the high watermark (not yet committed): no claim on that tail.
        h = clean() + [self.replicas_op({1: log, 2: log, 3: log + [[5, 5, 1, 333]]})]
        self.assertTrue(passed(check(h)), check(h)["findings"])

    def test_replicas_that_differ_or_fall_short_or_an_isr_not_full_are_findings(self):
        log = [[0, 2, 0, 111], [3, 4, 1, 222]]
        diverged = [[0, 2, 0, 111], [3, 4, 2, 999]]   # the same offsets written in another epoch
        found = check(clean() + [self.replicas_op({1: log, 2: diverged, 3: log[:1]}, isr=(1, 2))])["findings"]["replicas"]
        self.assertEqual(found, [
            "q-0: ISR [1, 2], leader 1 once healed; replicas [1, 2, 3]",
            "q-0: node 3 holds batches to offset 3, short of the high watermark 5",
            "q-0: node 2 differs from node 1 below the high watermark 5 at batch 1: "
            "Batch(base_offset=3, last_offset=4, leader_epoch=2, crc=999) vs "
            "Batch(base_offset=3, last_offset=4, leader_epoch=1, crc=222)"])

    def test_no_metadata_or_no_high_watermark_once_healed_are_findings(self):
        op = self.replicas_op({})
        found = check(clean() + [dict(op, replicas=[], isr=[]),
                                 dict(op, partition=1, high_watermark=None, error="timed out")])["findings"]["replicas"]
        self.assertEqual(found, ["q-0: no Metadata named its replicas once healed",
                                 "q-1: no high watermark once healed (timed out)"])

    def test_availability_per_fault(self):
        h = [{"process": "nemesis", "type": "info", "f": "start", "time": 1.0, "value": "kill n1", "fault_id": 1}]
        h += send("p1", "a", 0, 0, t=1.1) + send("p1", "b", 0, 0, t=1.2, outcome="info")
        held = send("p1", "c", 0, 1, t=1.5)
        held[1]["time"] = 2.7   # answered only after the heal
        h += held
        h += [{"process": "nemesis", "type": "info", "f": "stop", "time": 2.0, "value": "kill n1", "fault_id": 1}]
        h += send("p1", "d", 0, 2, t=2.5)
        (window,) = check(h)["availability"]
        self.assertEqual(window["sends"], 3)
        self.assertAlmostEqual(window["ok_share"], 1 / 3)
        self.assertEqual(window["held"], 1)
        self.assertAlmostEqual(window["recovery_s"], 0.7)


if __name__ == "__main__":
    unittest.main()
