"""/metrics on a live node: valid Prometheus text, and the families an operator needs."""
import unittest

from confluent_kafka import Producer

from harness import SkiffNode, sample_value, scrape
from prometheus_text import parse


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
            self.assertEqual(sample_value(after, "skiff_raft_role", role="leader"), 1)
            self.assertEqual(sample_value(after, "skiff_raft_leader_id"), 1)
            self.assertEqual(sample_value(after, "skiff_brokers_registered"), 1)
            self.assertEqual(sample_value(after, "skiff_leadership_lease_held"), 1)
            self.assertGreater(sample_value(after, "skiff_kafka_requests_total", api="Produce"), 0)
            self.assertGreater(sample_value(after, "skiff_kafka_request_seconds_count", api="Produce"), 0)
            self.assertGreater(sample_value(after, "skiff_kafka_bytes_in_total"), sample_value(before, "skiff_kafka_bytes_in_total") + 500)
            self.assertGreater(sample_value(after, "skiff_ready_loop_iterations_total"),
                               sample_value(before, "skiff_ready_loop_iterations_total"))
            self.assertGreater(sample_value(after, "skiff_wal_fsync_seconds_count"), 0)
            # acks=all: every produce waited for a group commit of the partition log.
            self.assertGreater(sample_value(after, "skiff_log_fsync_seconds_count"), sample_value(before, "skiff_log_fsync_seconds_count"))
            self.assertGreater(sample_value(after, "skiff_lock_acquisitions_total", lock="GroupCommitter::Impl::mutex"), 0)
            self.assertEqual(sample_value(after, "skiff_watchdog_stalls_total", loop="raft"), 0)
            self.assertEqual(sample_value(after, "skiff_partitions_offline"), 0)
            # The produced-to partition's files are open, within the cache's capacity (half the limit).
            self.assertGreater(sample_value(after, "skiff_log_open_files"), 0)
            self.assertLessEqual(sample_value(after, "skiff_log_open_files"), sample_value(after, "skiff_log_open_files_capacity"))
            self.assertEqual(sample_value(after, "skiff_log_open_files_capacity"),
                             max(16, min(sample_value(after, "skiff_process_max_fds"), 1 << 20) // 2))
            self.assertLess(sample_value(after, "skiff_process_open_fds"), sample_value(after, "skiff_process_max_fds"))

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
