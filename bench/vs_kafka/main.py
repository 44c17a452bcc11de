"""Skiff beside Apache Kafka (issue #16): both brokers on this machine, the same listeners and
topic layouts, the same workloads run against each in turn (alternating which goes first), one
table of Skiff / Kafka ratios. Run through bench/vs-kafka.sh, which fetches what it needs; see
there and README ("Side by side with Apache Kafka") for what each row measures."""
import argparse
import datetime
import os
import platform
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import brokers as brokers_mod  # noqa: E402
import report  # noqa: E402
import workloads as wl  # noqa: E402
from procstat import Usage, rss_mib  # noqa: E402

TOPOLOGIES = {"single-node": 1, "cluster": 3}
WORKLOADS = ("start", "memory", "produce", "consume", "latency")
TOOLS = {"java": "kafka-producer-perf-test", "rdkafka": "rdkafka_performance linger.ms=5"}
MEMORY_PARTITIONS = 1000
FSYNC_COUNT_DIVISOR = 10


def parse_args(argv):
    p = argparse.ArgumentParser(prog="bench/vs-kafka.sh", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true",
                   help="short runs (100,000 records of 100 B, 20,000 of 1 KiB, 2 s of latency): to try "
                        "the bench or a subset, not for figures")
    p.add_argument("--only", default="",
                   help="comma list narrowing any of: topology (%s), workload (%s), durability (%s), "
                        "producer tool (%s); e.g. --only single-node,produce,java"
                        % (", ".join(TOPOLOGIES), ", ".join(WORKLOADS), ", ".join(brokers_mod.DURABILITIES),
                           ", ".join(TOOLS)))
    p.add_argument("--sizes", default="100,1024", help="record sizes in bytes (default 100,1024)")
    p.add_argument("--acks", default="1,all", help="producer acks (default 1,all)")
    p.add_argument("--partitions", default="1,12", help="partitions per topic (default 1,12)")
    p.add_argument("--count", type=int, default=None,
                   help="records per producer run at 100 B, a fifth of it at 1 KiB, a tenth of those at "
                        "durability fsync (default 2,000,000; --quick 100,000)")
    p.add_argument("--latency-seconds", type=float, default=None, help="length of each latency run (default 10; --quick 2)")
    p.add_argument("--latency-fraction", type=float, default=0.5,
                   help="latency runs send at this fraction of the lower of the two brokers' peak msgs/s in "
                        "that row's layout (default 0.5)")
    p.add_argument("--out", default=None,
                   help="path prefix of the JSON and markdown results (default build/vs-kafka/RUN-TIME)")
    args = p.parse_args(argv)
    only = [t for t in args.only.split(",") if t]
    known = set(TOPOLOGIES) | set(WORKLOADS) | set(brokers_mod.DURABILITIES) | set(TOOLS)
    unknown = [t for t in only if t not in known]
    if unknown:
        p.error("--only: unknown %s (known: %s)" % (", ".join(unknown), ", ".join(sorted(known))))

    def pick(category):
        chosen = [c for c in category if c in only]
        return chosen or list(category)
    args.topologies, args.workloads = pick(TOPOLOGIES), pick(WORKLOADS)
    args.durabilities, args.tools = pick(brokers_mod.DURABILITIES), pick(TOOLS)
    args.sizes = [int(s) for s in args.sizes.split(",")]
    args.acks = [a for a in args.acks.split(",")]
    args.partitions = [int(n) for n in args.partitions.split(",")]
    if args.count is None:
        args.count = 100000 if args.quick else 2000000
    if args.latency_seconds is None:
        args.latency_seconds = 2 if args.quick else 10
    return args


def log(msg):
    print("[%s] %s" % (time.strftime("%H:%M:%S"), msg), file=sys.stderr, flush=True)


class Pass:
    """One topology at one durability: a Kafka cluster and a Skiff cluster of the same size, both
    running, workloads alternating between them; collects rows."""

    def __init__(self, args, env, topology, durability, first, rows, workdir):
        self.args, self.env, self.rows, self.workdir = args, env, rows, workdir
        self.topology, self.nodes, self.durability, self.first = topology, TOPOLOGIES[topology], durability, first
        self.replicas = min(self.nodes, 3)
        self.brokers = []
        self.turn = 0
        self.peak_rss = {"kafka": 0.0, "skiff": 0.0}

    def row(self, workload, metric, kind, figures, unit, **extra):
        durability = "-" if kind in ("start", "rss") else self.durability
        r = report.Row(self.topology, durability, workload, metric, kind, figures.get("kafka"), figures.get("skiff"),
                       unit, **extra)
        self.rows.append(r)
        log("  %s" % "  ".join(r.cells()))

    def each(self, fn, alternate=True):
        """fn(broker) for both brokers: {name: result}. Who goes first alternates from one measured
        workload to the next (alternate=False: set-up steps, Kafka first, not counted)."""
        order = self.brokers
        if alternate:
            order = self.brokers if self.turn % 2 == 0 else self.brokers[::-1]
            self.turn += 1
        out = {}
        for b in order:
            try:
                out[b.name] = fn(b)
            except wl.WorkloadError as e:
                raise wl.WorkloadError("%s: %s" % (b.name, e))
            why = b.exited()
            if why:
                raise wl.WorkloadError("%s during %s:\n%s" % (why, fn, b.log_tail()))
        return out

    def start(self):
        """Starts Kafka, then Skiff (one at a time, so neither start competes with the other), each
        timed from spawn to its first acknowledged produce."""
        started = {}
        for make in (lambda: brokers_mod.KafkaCluster(self.env["classpath"], self.nodes, self.durability, self.workdir),
                     lambda: brokers_mod.SkiffBrokers(self.nodes, self.durability, self.workdir)):
            b = make()
            self.brokers.append(b)
            if b.name == "kafka":
                log("formatting Kafka storage (%d node(s))" % self.nodes)
                b.format()
            log("starting %s: %d node(s), %s" % (b.name, self.nodes, self.durability))
            t0 = time.monotonic()
            b.start()
            try:
                started[b.name] = wl.first_produce(b.bootstrap, t0)
                wl.wait_brokers(b.bootstrap, self.nodes)
            except wl.WorkloadError as e:
                raise wl.WorkloadError("%s: %s\n%s" % (b.name, e, b.log_tail()))
        if self.first and "start" in self.args.workloads:
            self.row("cold start to first acked produce", "time", "start", started, "s",
                     detail={"kafka_storage_format_s": self.brokers[0].format_seconds,
                             "note": "Kafka's time excludes kafka-storage format (shown in detail)"})

    def memory_idle(self):
        time.sleep(3)
        self.row("idle, after start", "RSS", "rss", {b.name: rss_mib(b.pids) for b in self.brokers}, "MiB",
                 detail={"what": "sum over nodes"})

    def memory_partitions(self):
        topic = "mem-%d" % MEMORY_PARTITIONS

        def fill(b):
            wl.create_topic(b.bootstrap, topic, MEMORY_PARTITIONS, self.replicas)
            wl.fill_partitions(b.bootstrap, topic, MEMORY_PARTITIONS)
            time.sleep(2)
            return rss_mib(b.pids)
        self.row("%d partitions x rf %d, 10 records each" % (MEMORY_PARTITIONS, self.replicas), "RSS", "rss",
                 self.each(fill), "MiB", detail={"what": "sum over nodes"})

    def records(self, size):
        """Records per producer run: --count at 100 B, a fifth at 1 KiB, and a tenth of those in
        the fsync pass (Kafka with flush.messages=1 makes one fsync per batch per partition; the
        same count for both brokers keeps the rows comparable)."""
        count = self.args.count if size <= 100 else self.args.count // 5
        return count // FSYNC_COUNT_DIVISOR if self.durability == "fsync" else count

    def produce(self, topic, size, acks, tool, extra=()):
        count = self.records(size)

        def run(b):
            with Usage(b.pids) as u:
                if tool == "java":
                    figures = wl.producer_perf_java(self.env["classpath"], b.bootstrap, topic, count, size, acks)
                else:
                    figures = wl.producer_perf_rdkafka(self.env["perf"], b.bootstrap, topic, count, size, acks,
                                                       extra or wl.RDKAFKA_PRODUCER)
            self.peak_rss[b.name] = max(self.peak_rss[b.name], u.peak_rss)
            figures["cpu_s_per_gb"] = u.cpu / (count * size / 1e9)
            figures["count"] = count
            return figures
        got = self.each(run)
        return got, count

    def layout(self, size, acks, partitions):
        return "%s acks=%s %d part" % ("1 KiB" if size == 1024 else "%d B" % size, acks, partitions)

    def throughput_rows(self, workload, got, size, unit_detail=None):
        msgs = {k: v["msgs_s"] for k, v in got.items()}
        self.row(workload, "throughput", "throughput", msgs, "msgs/s",
                 shown_kafka="%s (%.1f MB/s)" % (report._num(msgs["kafka"]), msgs["kafka"] * size / 1e6),
                 shown_skiff="%s (%.1f MB/s)" % (report._num(msgs["skiff"]), msgs["skiff"] * size / 1e6),
                 detail=dict(got, **(unit_detail or {})))
        self.row(workload, "broker CPU", "cpu", {k: v["cpu_s_per_gb"] for k, v in got.items()}, "s/GB")

    def run(self):
        a = self.args
        try:
            self.start()
            if self.first and "memory" in a.workloads:
                self.memory_idle()
            for size in a.sizes:
                for partitions in a.partitions:
                    for acks in a.acks:
                        written, topic = 0, "perf-%d-%s-%d" % (size, acks, partitions)
                        self.each(lambda b: wl.create_topic(b.bootstrap, topic, partitions, self.replicas), alternate=False)
                        layout = self.layout(size, acks, partitions)
                        if "produce" in a.workloads or "consume" in a.workloads:
                            for tool in a.tools:
                                got, count = self.produce(topic, size, acks, tool)
                                written += count
                                self.throughput_rows("produce %s, %s" % (layout, TOOLS[tool]), got, size)
                        if "latency" in a.workloads:
                            self.latency(size, acks, partitions)
                    if "consume" in a.workloads and written:   # what the last acks setting's runs wrote
                        self.consume(topic, size, partitions, written)
            if self.first and "memory" in a.workloads:
                self.row("peak during the produce runs above", "RSS", "rss", self.peak_rss, "MiB",
                         detail={"what": "sum over nodes, sampled every 0.2 s"})
                self.memory_partitions()
        finally:
            for b in self.brokers:
                b.close()

    def consume(self, topic, size, partitions, count):
        def run(b):
            with Usage(b.pids) as u:
                figures = wl.consumer_perf_java(self.env["classpath"], b.bootstrap, topic, count)
            figures["cpu_s_per_gb"] = u.cpu / (count * size / 1e9)
            return figures
        self.throughput_rows("consume %s B %d part, kafka-consumer-perf-test" % (size, partitions), self.each(run), size)

    def latency(self, size, acks, partitions):
        """Peak msgs/s of the latency producer's own settings (linger.ms=1) on both, then the
        end-to-end run on both at the fraction of the lower peak (a sender that cannot keep up with
        that rate would measure its own queue)."""
        topic = "lat-%d-%s-%d" % (size, acks, partitions)
        for t in (topic + "-peak", topic):   # the latency consumer reads its topic from the start
            self.each(lambda b: wl.create_topic(b.bootstrap, t, partitions, self.replicas), alternate=False)
        layout = "%s, rdkafka_performance %s" % (self.layout(size, acks, partitions), " ".join(wl.LATENCY_PRODUCER[1::2]))
        count = self.records(size)
        peaks = self.produce(topic + "-peak", size, acks, "rdkafka", extra=wl.LATENCY_PRODUCER)[0]
        self.throughput_rows("produce %s" % layout, peaks, size)
        rate = max(1, int(self.args.latency_fraction * min(p["msgs_s"] for p in peaks.values())))
        got = self.each(lambda b: wl.end_to_end_latency(self.env["perf"], b.bootstrap, topic, size, acks, rate,
                                                       self.args.latency_seconds, self.workdir))
        behind = {k: v["sent_msgs_s"] < 0.9 * rate for k, v in got.items()}
        shown = {k: "%.2f / %.2f / %.2f%s" % (v["p50"], v["p99"], v["p999"],
                                             " (sent %s/s)" % report._num(v["sent_msgs_s"]) if behind[k] else "")
                 for k, v in got.items()}
        detail = dict(got, rate=rate, count=count)
        if any(behind.values()):   # that sender measured its own queue, not latency at this rate
            detail["not_judged"] = "sender behind"
        self.row("end to end %s at %s msgs/s (%.0f%% of peak)" % (layout, report._num(rate),
                                                                 100 * self.args.latency_fraction),
                 "p50 / p99 / p99.9", "latency", {k: v["p99"] for k, v in got.items()}, "ms",
                 shown_kafka=shown["kafka"], shown_skiff=shown["skiff"], detail=detail)


def version(cmd):
    """First line a --version style command prints (java -version prints to stderr)."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return (done.stdout.strip() or done.stderr.strip()).splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def kafka_version():
    with open(os.path.join(HERE, "..", "kafka", "pom.xml")) as f:
        return re.search(r"<kafka.version>([^<]+)</kafka.version>", f.read()).group(1)


def main(argv):
    args = parse_args(argv)
    env = {"classpath": os.environ["KAFKA_CLASSPATH"], "perf": os.environ["RDKAFKA_PERFORMANCE"]}
    when = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    out = os.path.normpath(args.out or os.path.join(HERE, "..", "..", "build", "vs-kafka",
                                                    datetime.datetime.now().strftime("%Y%m%d-%H%M%S")))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    meta = {
        "when": when, "machine": "%s, %d cores" % (platform.node(), os.cpu_count()),
        "kafka_version": kafka_version(), "kafka_jvm": " ".join(brokers_mod.KAFKA_JVM[:2]) + " (kafka-server-start.sh's default)",
        "skiffd": version([brokers_mod.SKIFFD, "--version"]),
        "java": version(["java", "-version"]),
        "librdkafka": _librdkafka_version(),
        "quick": args.quick, "records_100B": args.count, "records_1KiB": args.count // 5,
        "fsync_pass_records": "1/%d of those" % FSYNC_COUNT_DIVISOR,
        "latency_seconds": args.latency_seconds, "latency_fraction": args.latency_fraction,
        "topologies": ",".join(args.topologies), "durabilities": ",".join(args.durabilities),
        "workloads": ",".join(args.workloads), "tools": ",".join(args.tools),
        "durability_pairs": "; ".join("%s = %s" % kv for kv in brokers_mod.DURABILITY_MEANS.items()),
    }
    if args.quick:
        meta["note"] = "--quick: short runs, figures not representative"
    rows = []
    failed = None
    with tempfile.TemporaryDirectory(prefix="skiff-vs-kafka-") as workdir:
        try:
            for topology in args.topologies:
                for i, durability in enumerate(args.durabilities):
                    log("== %s, %s" % (topology, brokers_mod.DURABILITY_MEANS[durability]))
                    Pass(args, env, topology, durability, i == 0, rows, workdir).run()
        except (wl.WorkloadError, RuntimeError) as e:
            failed = str(e)
        except KeyboardInterrupt:
            failed = "interrupted"
    print("Skiff / Apache Kafka %s on %s (%s)%s" % (meta["kafka_version"], meta["machine"], when,
                                                    ", --quick: not representative" if args.quick else ""))
    for k, v in brokers_mod.DURABILITY_MEANS.items():
        print("  %-9s %s" % (k, v))
    print("  Kafka's JVM: %s; RSS sums the nodes; CPU is the brokers' own, per GB of records;\n"
          "  latency rows: ratio and goal are p99's" % meta["kafka_jvm"])
    print(report.text_table(rows))
    print(report.summary(rows))
    report.write(rows, meta, out + ".json", out + ".md")
    print("written: %s.json, %s.md" % (out, out))
    if failed:
        print("stopped early: %s" % failed, file=sys.stderr)
        return 1
    return 0


def _librdkafka_version():
    from confluent_kafka import libversion
    return libversion()[0]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
