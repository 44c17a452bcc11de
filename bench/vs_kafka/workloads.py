"""The workloads, each run the same way against either broker: Apache Kafka's own load tools
(kafka-producer-perf-test and kafka-consumer-perf-test, i.e. org.apache.kafka.tools.* 4.4 on the
JVM) and librdkafka's rdkafka_performance, plus the readiness and set-up steps around them.
Each returns plain figures; main.py turns them into rows."""
import os
import re
import socket
import subprocess
import threading
import time

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from brokers import LOG4J

TOOL_JVM = ["-Xmx512M"]   # kafka-producer-perf-test.sh / kafka-consumer-perf-test.sh's KAFKA_HEAP_OPTS


class WorkloadError(RuntimeError):
    pass


def wait_listening(bootstrap, deadline):
    """Until the first bootstrap address accepts a TCP connection (tried every 5 ms)."""
    host, port = bootstrap.split(",")[0].rsplit(":", 1)
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, int(port)), timeout=0.05).close()
            return
        except OSError:
            time.sleep(0.005)
    raise WorkloadError("%s accepted no connection" % bootstrap)


def first_produce(bootstrap, started, timeout=120):
    """Seconds from `started` (time.monotonic() when the first node was spawned) until one
    record to a new topic is acknowledged (acks=1, the topic auto-created). The producer is made
    once the broker's port accepts connections: librdkafka (2.0) whose first connection is
    refused tries again only at its next once-a-second scan, whatever reconnect.backoff.ms says,
    so a client started sooner would measure that second (it did: 1.00 s for a skiffd that
    listened after 8 ms), not the broker."""
    deadline = started + timeout
    wait_listening(bootstrap, deadline)
    acked = []
    p = Producer({"bootstrap.servers": bootstrap, "acks": "1", "linger.ms": 0,
                  "reconnect.backoff.ms": 10, "reconnect.backoff.max.ms": 50, "retry.backoff.ms": 20,
                  "topic.metadata.refresh.fast.interval.ms": 20, "message.timeout.ms": int(timeout * 1000),
                  "log_level": 0})
    p.produce("cold-start", b"first", on_delivery=lambda err, msg: acked.append((err, time.monotonic())))
    while not acked and time.monotonic() < deadline:
        p.poll(0.005)
    if not acked or acked[0][0] is not None:
        raise WorkloadError("no acknowledged produce within %ss: %s" % (timeout, acked and acked[0][0]))
    return acked[0][1] - started


def wait_brokers(bootstrap, count, timeout=120):
    """Until Metadata lists `count` brokers (all nodes registered and unfenced)."""
    admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 0})
    deadline = time.monotonic() + timeout
    seen = 0
    while time.monotonic() < deadline:
        try:
            seen = len(admin.list_topics(timeout=5).brokers)
            if seen >= count:
                return
        except Exception:   # noqa: BLE001 - not up yet: try again
            pass
        time.sleep(0.2)
    raise WorkloadError("%d of %d brokers in Metadata after %ss" % (seen, count, timeout))


def create_topic(bootstrap, topic, partitions, replicas):
    """Creates the topic (min.insync.replicas 2 at 3 replicas) and waits until every partition
    has a leader in Metadata."""
    admin = AdminClient({"bootstrap.servers": bootstrap, "log_level": 0})
    config = {"min.insync.replicas": "2"} if replicas >= 3 else {}
    admin.create_topics([NewTopic(topic, partitions, replicas, config=config)])[topic].result(60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        t = admin.list_topics(topic, timeout=5).topics.get(topic)
        if t and not t.error and len(t.partitions) == partitions and all(
                p.leader >= 0 and p.error is None for p in t.partitions.values()):
            return
        time.sleep(0.1)
    raise WorkloadError("topic %s: not every partition has a leader after 60 s" % topic)


def fill_partitions(bootstrap, topic, partitions, per_partition=10, size=100):
    """Writes per_partition records of `size` bytes to each partition (as bench/memory.sh)."""
    p = Producer({"bootstrap.servers": bootstrap, "linger.ms": 5, "log_level": 0})
    for i in range(partitions * per_partition):
        p.produce(topic, b"x" * size, partition=i % partitions)
        if i % 1000 == 0:
            p.poll(0)
    if p.flush(120):
        raise WorkloadError("records to %s not acknowledged within 120 s" % topic)


def _java(classpath, main, args):
    return ["java"] + TOOL_JVM + ["-Dlog4j2.configurationFile=" + LOG4J, "-cp", classpath, main] + args


def _run(cmd, what, timeout):
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise WorkloadError("%s did not finish within %ss" % (what, timeout))
    if done.returncode != 0:
        raise WorkloadError("%s exited with %s:\n%s" % (what, done.returncode, (done.stdout + done.stderr)[-2000:]))
    return done.stdout


# "1000000 records sent, 253485.4 records/sec (24.17 MB/sec), 1089.80 ms avg latency, 1741.00 ms
# max latency, 1124 ms 50th, 1578 ms 95th, 1702 ms 99th, 1730 ms 99.9th."
_PRODUCER_PERF = re.compile(r"(\d+) records sent, ([\d.]+) records/sec .* ([\d.]+) ms 50th, ([\d.]+) ms 95th, "
                            r"([\d.]+) ms 99th, ([\d.]+) ms 99.9th")


def producer_perf_java(classpath, bootstrap, topic, count, size, acks, throughput=-1, timeout=900):
    """kafka-producer-perf-test with the Java producer's defaults: {msgs_s, p50, p99, p999} (ms
    from send to acknowledgement)."""
    out = _run(_java(classpath, "org.apache.kafka.tools.ProducerPerformance", [
        "--bootstrap-server", bootstrap, "--topic", topic, "--num-records", str(count),
        "--record-size", str(size), "--throughput", str(throughput),
        "--command-property", "acks=%s" % acks]), "kafka-producer-perf-test", timeout)
    m = _PRODUCER_PERF.search(out.strip().splitlines()[-1]) if out.strip() else None
    if not m:
        raise WorkloadError("kafka-producer-perf-test printed no summary:\n%s" % out[-2000:])
    return {"msgs_s": float(m.group(2)), "p50": float(m.group(3)), "p99": float(m.group(5)),
            "p999": float(m.group(6))}


# rdkafka_performance sets linger.ms 1000 itself, so a run's last batch waits up to a second
# (which weighs on short runs): its throughput rows use librdkafka's default instead, as
# kafka-producer-perf-test uses the Java producer's defaults.
RDKAFKA_PRODUCER = ("-X", "linger.ms=5")


def producer_perf_rdkafka(perf, bootstrap, topic, count, size, acks, extra=RDKAFKA_PRODUCER, timeout=900):
    """rdkafka_performance -P with `extra` settings (default RDKAFKA_PRODUCER): {msgs_s}, from
    the first send to the last delivery report."""
    out = _run([perf, "-P", "-t", topic, "-s", str(size), "-c", str(count), "-a", "-1" if acks == "all" else str(acks),
                "-u"] + list(extra) + ["-b", bootstrap], "rdkafka_performance -P", timeout)
    return {"msgs_s": _rdkafka_msgs_s(out)}


def _rdkafka_msgs_s(out):
    """msgs/s of rdkafka_performance -u's last table line."""
    rows = [line.split("|") for line in out.splitlines() if line.startswith("|")]
    if not rows:
        raise WorkloadError("rdkafka_performance printed no table:\n%s" % out[-2000:])
    return float(rows[-1][6])


def consumer_perf_java(classpath, bootstrap, topic, count, timeout=900):
    """kafka-consumer-perf-test reading count records from the beginning, one consumer in a new
    group: {msgs_s} over the fetch time (the group join not counted)."""
    out = _run(_java(classpath, "org.apache.kafka.tools.ConsumerPerformance", [
        "--bootstrap-server", bootstrap, "--topic", topic, "--num-records", str(count),
        "--group", "perf-%s-%d" % (topic, time.time_ns()), "--timeout", "60000"]),
        "kafka-consumer-perf-test", timeout)
    # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
    # rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    lines = [line for line in out.splitlines() if line.count(",") >= 9 and not line.startswith("start.time")]
    if not lines:
        raise WorkloadError("kafka-consumer-perf-test printed no result:\n%s" % out[-2000:])
    fields = [f.strip() for f in lines[-1].split(",")]
    consumed = int(fields[4])
    if consumed < count:
        raise WorkloadError("kafka-consumer-perf-test read %d of %d records" % (consumed, count))
    return {"msgs_s": float(fields[9]), "records": consumed}


def _percentiles(values):
    values = sorted(values)
    pick = lambda q: values[min(len(values) - 1, int(len(values) * q))] / 1000   # noqa: E731 - us to ms
    return {"p50": pick(0.5), "p99": pick(0.99), "p999": pick(0.999), "samples": len(values)}


# Latency runs send this long before the measured part; its records' latencies are dropped (the
# consumer's first fetches after the group join, the first sends' metadata look-ups).
LATENCY_WARMUP_SECONDS = 1
# The latency producer's settings; its peak (the rate's base) is measured with the same ones.
LATENCY_PRODUCER = ("-X", "linger.ms=1")


def end_to_end_latency(perf, bootstrap, topic, size, acks, rate, seconds, tmp, timeout=120):
    """Produce-to-consume latency at a fixed rate: rdkafka_performance -P -l -r RATE writes the
    send time into each record, a rdkafka_performance -C -l in its own group (joined before the
    first send) records receive time minus send time. linger.ms=1 on the producer, so the figure
    is the broker's and the network's, not the client's batching wait. {p50, p99, p999} ms of
    the records after the warm-up (consumed in about the order sent)."""
    warmup = int(rate * LATENCY_WARMUP_SECONDS)
    count = warmup + max(1, int(rate * seconds))
    path = os.path.join(tmp, "e2e-latency")
    if os.path.exists(path):
        os.unlink(path)
    consumer = subprocess.Popen([perf, "-C", "-G", "e2e-%s-%d" % (topic, time.time_ns()), "-t", topic, "-l",
                                 "-A", path, "-c", str(count), "-u", "-X", "auto.offset.reset=earliest",
                                 "-b", bootstrap], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output, assigned = [], threading.Event()

    def read():
        for line in consumer.stdout:
            output.append(line)
            if "Group rebalanced" in line and "assigned" in line:
                assigned.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        if not assigned.wait(60):
            raise WorkloadError("rdkafka_performance -C: no partitions assigned within 60 s:\n%s" % "".join(output)[-2000:])
        sent = _rdkafka_msgs_s(_run([perf, "-P", "-t", topic, "-s", str(size), "-c", str(count), "-r", str(rate),
                                     "-a", "-1" if acks == "all" else str(acks), "-l", "-u"] + list(LATENCY_PRODUCER)
                                    + ["-b", bootstrap], "rdkafka_performance -P -l", timeout))
        try:
            consumer.wait(30)
        except subprocess.TimeoutExpired:
            pass
    finally:
        if consumer.poll() is None:
            consumer.send_signal(2)   # SIGINT: it stops and closes the latency file
            try:
                consumer.wait(10)
            except subprocess.TimeoutExpired:
                consumer.kill()
                consumer.wait()
        reader.join(5)
    try:
        with open(path) as f:
            values = [int(x) for x in f.read().split()]
    except OSError:
        values = []
    if len(values) < count * 0.9:
        raise WorkloadError("end-to-end latency: %d of %d records received:\n%s" % (len(values), count,
                                                                                   "".join(output)[-2000:]))
    return dict(_percentiles(values[warmup:]), sent_msgs_s=sent)
