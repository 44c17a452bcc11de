#!/usr/bin/python3
"""Replication benchmark (issue #15): acks=all throughput and latency at replication factor 3
(min.insync.replicas 2) beside replication factor 1, in the same run on the same 3-node cluster
(machines are noisy: compare within one run only), with librdkafka's rdkafka_performance at 100 B
and 1 KiB. Starts its own nodes on free loopback ports with temporary data dirs and stops them.

  bench/replication.py                  COUNT=500000 messages of 100 B (a fifth of it at 1 KiB)
  COUNT=200000 PARTITIONS=3 bench/replication.py
  MODES=fsync bench/replication.py      only log.flush.mode = fsync (default: fsync, then interval)

Throughput: COUNT messages as fast as one producer sends them (-a -1; the tool's own linger.ms of
1000 ms, as bench/produce.sh). Latency: rdkafka_performance -l (send to delivery report) at half
that row's throughput for about 5 s, with linger.ms=1 so that the figure is the broker's and the
replication's, not the tool's batching wait; p50/p99 in ms. The issue's targets: replication factor 3 at least 0.6x the
throughput of factor 1, and p99 under 10 ms at half the peak rate.

Before measuring, it checks that replication is served (followers' logs hold what acks=all
acknowledged); a skiffd without it gets one line and exit status 1.
"""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "e2e"))
os.environ.setdefault("SKIFFD", os.path.join(HERE, "..", "build", "bin", "skiffd"))

from confluent_kafka import Producer  # noqa: E402
from confluent_kafka.admin import AdminClient, NewTopic  # noqa: E402

from batch_headers import log_end, partition_dir, read_batches  # noqa: E402
from harness import SkiffCluster  # noqa: E402

COUNT = int(os.environ.get("COUNT", "500000"))
PARTITIONS = int(os.environ.get("PARTITIONS", "3"))
LATENCY_SECONDS = 5
# fsync (the default): an acks=all acknowledgement waits until the record is fdatasynced on every
# ISR member. interval: until it is written (page cache) on every ISR member, which is what
# Apache Kafka's acks=all means with its default flush settings.
MODES = [m for m in os.environ.get("MODES", "fsync,interval").split(",") if m]
MODE_MEANS = {"fsync": "acknowledged once fdatasynced on every ISR member",
              "interval": "acknowledged once written on every ISR member (Kafka's acks=all), synced every second"}


def perf_tool():
    return subprocess.run([os.path.join(HERE, "build-rdkafka-perf.sh")], check=True, capture_output=True,
                          text=True).stdout.strip().splitlines()[-1]


def create(admin, topic, rf):
    config = {"min.insync.replicas": "2"} if rf >= 3 else {}
    admin.create_topics([NewTopic(topic, PARTITIONS, rf, config=config)])[topic].result(30)


def replication_served(cluster, admin):
    """None if the followers of a fresh rf 3 partition hold what acks=all acknowledged, else why not."""
    topic, sent = "bench-probe", 200
    admin.create_topics([NewTopic(topic, 1, 3, config={"min.insync.replicas": "2"})])[topic].result(30)
    p = Producer({"bootstrap.servers": ",".join(n.bootstrap for n in cluster.nodes), "acks": "all",
                  "linger.ms": 5, "message.timeout.ms": 20000})
    for i in range(sent):
        p.produce(topic, b"probe-%d" % i)
    if p.flush(30):
        return "%d acks=all records to %s-0 not acknowledged within 30 s" % (sent, topic)
    deadline = time.monotonic() + 10
    while True:
        ends = {n.node_id: log_end(read_batches(partition_dir(n.data_dir, topic, 0))) for n in cluster.nodes}
        if all(e >= sent for e in ends.values()):
            return None
        if time.monotonic() > deadline:
            return "the replicas of %s-0 hold %s records (node: log end) 10 s after %d were acknowledged with acks=all" % (
                topic, ends, sent)
        time.sleep(0.1)


def throughput(perf, args):
    """(msgs/s, MB/s) from rdkafka_performance's last table line."""
    out = subprocess.run([perf] + args, capture_output=True, text=True).stdout
    rows = [line.split("|") for line in out.splitlines() if line.startswith("|")]
    if not rows:
        return 0.0, 0.0
    return float(rows[-1][6]), float(rows[-1][7])


def latency(perf, args, tmp):
    """(p50, p99) in ms of the delivery latencies rdkafka_performance -l -A wrote (microseconds)."""
    path = os.path.join(tmp, "latency")
    if os.path.exists(path):
        os.unlink(path)
    subprocess.run([perf] + args + ["-l", "-A", path], capture_output=True)
    if not os.path.exists(path):
        return None, None
    with open(path) as f:
        values = sorted(int(x) for x in f.read().split())
    if not values:
        return None, None
    return values[len(values) // 2] / 1000, values[min(len(values) - 1, int(len(values) * 0.99))] / 1000


def measure(perf, mode, tmp):
    """Starts a 3-node cluster with log.flush.mode = mode, prints its rows; False if replication is not served."""
    cluster = SkiffCluster(3, extra_args=["--logging-level", "warning", "--log-flush-mode", mode])
    try:
        cluster.start()
        cluster.wait_leader()
        bootstrap = ",".join(n.bootstrap for n in cluster.nodes)
        admin = AdminClient({"bootstrap.servers": bootstrap})
        why = replication_served(cluster, admin)
        if why:
            print("replication is not served by this skiffd (%s): nothing to compare" % why)
            return False
        print("log.flush.mode = %s: %s" % (mode, MODE_MEANS[mode]))
        print("%6s %3s %12s %9s %11s %9s %9s" % ("size", "rf", "msgs/s", "MB/s", "lat rate/s", "p50_ms", "p99_ms"))
        for size in (100, 1024):
            count = COUNT if size == 100 else COUNT // 5
            peak = {}
            for rf in (1, 3):
                topic = "bench-%d-rf%d" % (size, rf)
                create(admin, topic, rf)
                mps, mbs = throughput(perf, ["-P", "-t", topic, "-s", str(size), "-c", str(count), "-a", "-1",
                                             "-u", "-b", bootstrap])
                peak[rf] = mps
                rate = max(1, int(mps / 2))
                p50, p99 = latency(perf, ["-P", "-t", topic, "-s", str(size), "-c", str(rate * LATENCY_SECONDS),
                                          "-r", str(rate), "-a", "-1", "-u", "-X", "linger.ms=1", "-b", bootstrap], tmp)
                print("%6d %3d %12.0f %9.2f %11d %9s %9s" % (size, rf, mps, mbs, rate,
                                                              "-" if p50 is None else "%.2f" % p50,
                                                              "-" if p99 is None else "%.2f" % p99))
            if peak[1] > 0:
                print("ratio rf3/rf1 msgs/s (%d B, acks=all): %.2f" % (size, peak[3] / peak[1]))
        return True
    finally:
        cluster.close()


def main():
    perf = perf_tool()
    print("3 nodes on loopback, %d partitions per topic, acks=all, one rdkafka_performance producer" % PARTITIONS)
    with tempfile.TemporaryDirectory(prefix="skiff-bench-repl-") as tmp:
        for mode in MODES:
            if not measure(perf, mode, tmp):
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
