#!/usr/bin/python3
"""The data plane bench/dashboard.sh runs while it measures the dashboard (issue #17): creates
TOPICS topics of PARTITIONS partitions, produces RATE messages/s of SIZE bytes in total spread over
them (round robin over the topics, no key: librdkafka picks the partition), and runs GROUPS
consumer groups of one Consumer each, each subscribed to a few topics (every topic is read by at
least one group), all in this one process (a thread per consumer). Runs until it is killed.

    dashboard_load.py --bootstrap HOST:PORT,... --stats FILE [--topics 50] [--partitions 12]
                      [--groups 20] [--rate 2000] [--size 100] [--replication 1]

Every second it replaces FILE with one line, "seconds produced consumed assigned errors
consumer_errors": a monotonic clock, messages acknowledged by the cluster, messages consumed (all
groups), groups that have partitions assigned, delivery errors and consumer errors, counted from
the start. dashboard.sh takes the rates over the dashboard's run from two of these lines.

It does not fail silently: if it cannot create the topics, or no message has been acknowledged for
STALL_SECONDS (from the start or since the last one), or a consumer thread fails, it writes one line
("dashboard_load: ...") to stderr and exits 1.
"""
import argparse
import os
import sys
import threading
import time

STALL_SECONDS = 20
TOPIC_FORMAT = "dash-load-%02d"
GROUP_FORMAT = "dash-load-group-%02d"


def fail(why):
    """One line and exit 1, from any thread (librdkafka's threads would keep a normal exit waiting)."""
    sys.stderr.write("dashboard_load: %s\n" % why)
    sys.stderr.flush()
    os._exit(1)


try:
    from confluent_kafka import Consumer, KafkaError, KafkaException, Producer
    from confluent_kafka.admin import AdminClient, NewTopic
except ImportError as e:
    fail("cannot import confluent_kafka with %s: %s (use Debian's /usr/bin/python3 or set PYTHON)" % (sys.executable, e))


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bootstrap", required=True)
    p.add_argument("--stats", required=True)
    p.add_argument("--topics", type=int, default=50)
    p.add_argument("--partitions", type=int, default=12)
    p.add_argument("--groups", type=int, default=20)
    p.add_argument("--rate", type=int, default=2000, help="messages/s in total")
    p.add_argument("--size", type=int, default=100, help="bytes per message")
    p.add_argument("--replication", type=int, default=1)
    a = p.parse_args()
    if a.topics < 1 or a.partitions < 1 or a.groups < 0 or a.rate < 1 or a.size < 1 or a.replication < 1:
        p.error("--topics, --partitions, --rate, --size and --replication must be at least 1, --groups at least 0")
    return a


def create_topics(bootstrap, names, partitions, replication):
    """Creates the topics (existing ones are fine) and waits until every partition has a leader."""
    admin = AdminClient({"bootstrap.servers": bootstrap})
    futures = admin.create_topics([NewTopic(n, partitions, replication) for n in names], request_timeout=60)
    for name, f in futures.items():
        try:
            f.result(60)
        except KafkaException as e:
            if e.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                fail("cannot create topic %s (%d partitions, replication factor %d): %s" % (
                    name, partitions, replication, e.args[0]))
    deadline = time.monotonic() + 60
    while True:
        md = admin.list_topics(timeout=10)
        missing = [n for n in names if n not in md.topics or md.topics[n].error is not None
                   or len(md.topics[n].partitions) != partitions
                   or any(p.leader < 0 for p in md.topics[n].partitions.values())]
        if not missing:
            return
        if time.monotonic() > deadline:
            fail("%d of %d topics still without a leader for every partition 60 s after creating them (first: %s)" % (
                len(missing), len(names), missing[0]))
        time.sleep(0.5)


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.produced = 0
        self.errors = 0
        self.last_error = None
        self.last_ack = time.monotonic()
        self.consumed = 0
        self.consumer_errors = 0
        self.assigned = set()


def consume(counters, bootstrap, group, topics, stop):
    try:
        c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "client.id": group,
                      "auto.offset.reset": "latest", "enable.auto.commit": True,   # every 5 s, the default
                      "session.timeout.ms": 10000, "heartbeat.interval.ms": 1000,
                      "queued.max.messages.kbytes": 2048})   # bounded per-consumer prefetch: 20 of them

        def on_assign(_consumer, partitions):
            with counters.lock:
                (counters.assigned.add if partitions else counters.assigned.discard)(group)

        def on_revoke(_consumer, _partitions):
            with counters.lock:
                counters.assigned.discard(group)

        c.subscribe(topics, on_assign=on_assign, on_revoke=on_revoke)
        while not stop.is_set():
            msgs = c.consume(num_messages=1000, timeout=0.5)
            good = sum(1 for m in msgs if not m.error())
            with counters.lock:
                counters.consumed += good
                counters.consumer_errors += len(msgs) - good
    except Exception as e:   # noqa: BLE001 - any failure of a consumer ends the load, loudly
        fail("consumer group %s (topics %s) failed: %r" % (group, ",".join(topics), e))


def write_stats(path, counters):
    with counters.lock:
        line = "%.3f %d %d %d %d %d\n" % (time.monotonic(), counters.produced, counters.consumed,
                                          len(counters.assigned), counters.errors, counters.consumer_errors)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(line)
    os.replace(tmp, path)


def main():
    a = parse()
    names = [TOPIC_FORMAT % i for i in range(a.topics)]
    create_topics(a.bootstrap, names, a.partitions, a.replication)
    counters = Counters()
    stop = threading.Event()

    # Each group reads a few topics: topic t goes to group t % GROUPS, and a group left with fewer than
    # two (more groups than half the topics) also reads the ones after its first.
    subscriptions = [[names[t] for t in range(a.topics) if t % a.groups == g] for g in range(a.groups)]
    for g, topics in enumerate(subscriptions):
        want = min(2, a.topics)
        k = g
        while len(topics) < want:
            if names[k % a.topics] not in topics:
                topics.append(names[k % a.topics])
            k += 1
        threading.Thread(target=consume, args=(counters, a.bootstrap, GROUP_FORMAT % g, topics, stop),
                         daemon=True).start()

    def delivered(err, _msg):
        with counters.lock:
            if err is None:
                counters.produced += 1
                counters.last_ack = time.monotonic()
            else:
                counters.errors += 1
                counters.last_error = err

    producer = Producer({"bootstrap.servers": a.bootstrap, "client.id": "dash-load-producer", "acks": "all",
                         "linger.ms": 5, "message.timeout.ms": 30000, "queue.buffering.max.messages": 200000})
    payload = b"x" * a.size
    start = time.monotonic()
    with counters.lock:
        counters.last_ack = start
    sent = 0
    next_stats = start
    while True:
        now = time.monotonic()
        due = int((now - start) * a.rate)
        while sent < due:
            try:
                producer.produce(names[sent % a.topics], payload, on_delivery=delivered)
            except BufferError:   # the local queue is full: the cluster is behind; deliveries first
                break
            sent += 1
        producer.poll(0)
        if now >= next_stats:
            write_stats(a.stats, counters)
            next_stats += 1.0
            with counters.lock:
                stalled = now - counters.last_ack
                errors, last_error, produced = counters.errors, counters.last_error, counters.produced
            if stalled > STALL_SECONDS:
                fail("cannot produce: no message acknowledged for %.0f s (%d sent, %d acknowledged, %d delivery "
                     "errors%s)" % (stalled, sent, produced, errors, ", last: %s" % last_error if last_error else ""))
        time.sleep(0.01)


if __name__ == "__main__":
    main()
