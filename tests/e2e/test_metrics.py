"""/metrics on a live node: valid Prometheus text, and the families an operator needs."""
import unittest
import urllib.request

from confluent_kafka import Producer

from harness import SkiffNode
from prometheus_text import parse


def scrape(node):
    with urllib.request.urlopen("http://127.0.0.1:%d/metrics" % node.http_port, timeout=10) as r:
        assert r.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        return parse(r.read().decode())


def value(families, name, **labels):
    family = name
    for suffix in ("_count", "_sum", "_bucket"):
        if name.endswith(suffix) and name[: -len(suffix)] in families:
            family = name[: -len(suffix)]
    for sample, l, v in families[family]["samples"]:
        if sample == name and all(l.get(k) == str(x) for k, x in labels.items()):
            return v
    raise KeyError("%s %s" % (name, labels))


class MetricsTest(unittest.TestCase):
    def test_metrics_parse_and_move_with_the_work(self):
        with SkiffNode() as node:
            before = scrape(node)
            p = Producer({"bootstrap.servers": node.bootstrap, "acks": "all"})
            for i in range(500):
                p.produce("metrics-topic", b"m%d" % i)
            self.assertEqual(p.flush(30), 0)
            after = scrape(node)

            for family in ("skiff_raft_term", "skiff_raft_leader_id", "skiff_raft_role", "skiff_raft_commit_index",
                           "skiff_raft_applied_index", "skiff_raft_leader_changes_total", "skiff_raft_elections_total",
                           "skiff_ready_loop_interval_seconds", "skiff_ready_loop_phase_seconds",
                           "skiff_lock_wait_seconds", "skiff_lock_hold_seconds", "skiff_watchdog_misses_total",
                           "skiff_watchdog_stalls_total", "skiff_wal_fsync_seconds", "skiff_brokers_registered",
                           "skiff_brokers_fenced", "skiff_kafka_requests_total", "skiff_kafka_request_seconds",
                           "skiff_kafka_bytes_in_total", "skiff_kafka_bytes_out_total", "skiff_build_info",
                           "skiff_partitions_offline", "skiff_log_open_files", "skiff_log_open_files_capacity",
                           "skiff_process_open_fds", "skiff_process_max_fds", "skiff_log_fsync_seconds"):
                self.assertIn(family, after, family)
            self.assertEqual(value(after, "skiff_raft_role", role="leader"), 1)
            self.assertEqual(value(after, "skiff_raft_leader_id"), 1)
            self.assertEqual(value(after, "skiff_brokers_registered"), 1)
            self.assertEqual(value(after, "skiff_leadership_lease_held"), 1)
            self.assertGreater(value(after, "skiff_kafka_requests_total", api="Produce"), 0)
            self.assertGreater(value(after, "skiff_kafka_request_seconds_count", api="Produce"), 0)
            self.assertGreater(value(after, "skiff_kafka_bytes_in_total"), value(before, "skiff_kafka_bytes_in_total") + 500)
            self.assertGreater(value(after, "skiff_ready_loop_iterations_total"),
                               value(before, "skiff_ready_loop_iterations_total"))
            self.assertGreater(value(after, "skiff_wal_fsync_seconds_count"), 0)
            # acks=all: every produce waited for a group commit of the partition log.
            self.assertGreater(value(after, "skiff_log_fsync_seconds_count"), value(before, "skiff_log_fsync_seconds_count"))
            self.assertGreater(value(after, "skiff_lock_acquisitions_total", lock="GroupCommitter::Impl::mutex"), 0)
            self.assertEqual(value(after, "skiff_watchdog_stalls_total", loop="raft"), 0)
            self.assertEqual(value(after, "skiff_partitions_offline"), 0)
            # The produced-to partition's files are open, within the cache's capacity (half the limit).
            self.assertGreater(value(after, "skiff_log_open_files"), 0)
            self.assertLessEqual(value(after, "skiff_log_open_files"), value(after, "skiff_log_open_files_capacity"))
            self.assertEqual(value(after, "skiff_log_open_files_capacity"),
                             max(16, min(value(after, "skiff_process_max_fds"), 1 << 20) // 2))
            self.assertLess(value(after, "skiff_process_open_fds"), value(after, "skiff_process_max_fds"))

    def test_the_parser_refuses_what_prometheus_would(self):
        for bad in ("metric 1\n",                                           # no TYPE
                    "# TYPE m counter\nm -1\n",                              # negative counter
                    "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
                    "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
                    "# TYPE m gauge\nm{a=\"x} 1\n"):
            with self.assertRaises(ValueError, msg=bad):
                parse(bad)


if __name__ == "__main__":
    unittest.main()
