"""One consumer-group member for test_groups.py, run as its own process so that the test can
kill it (by pid). Appends "partition offset value" for every message it processed to OUT, and
commits only what is written there (at-least-once). Stops (closing cleanly: final commit, leave
group) when the file STOP appears.

    group_worker.py confluent|kafka-python BOOTSTRAP GROUP TOPIC OUT STOP
"""
import os
import sys
import time


def run_confluent(bootstrap, group, topic, out, stop):
    from confluent_kafka import Consumer
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "auto.offset.reset": "earliest",
                  "enable.auto.commit": True, "auto.commit.interval.ms": 500,
                  "enable.auto.offset.store": False, "session.timeout.ms": 6000,
                  "heartbeat.interval.ms": 500, "enable.partition.eof": False})
    c.subscribe([topic])
    while not os.path.exists(stop):
        msgs = c.consume(num_messages=1000, timeout=0.2)
        good = [m for m in msgs if not m.error()]
        if good:
            out.write("".join("%d %d %s\n" % (m.partition(), m.offset(), m.value().decode()) for m in good))
            out.flush()
            for m in good:
                c.store_offsets(message=m)
    c.close()


def run_kafka_python(bootstrap, group, topic, out, stop):
    from kafka import KafkaConsumer
    c = KafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=group, auto_offset_reset="earliest",
                      enable_auto_commit=False, session_timeout_ms=6000, heartbeat_interval_ms=500)
    while not os.path.exists(stop):
        batches = c.poll(timeout_ms=200, max_records=1000)
        lines = []
        for tp, msgs in batches.items():
            lines.extend("%d %d %s\n" % (m.partition, m.offset, m.value.decode()) for m in msgs)
        if lines:
            out.write("".join(lines))
            out.flush()
            try:
                c.commit()
            except Exception as e:   # a rebalance under way: the next owner re-reads (at-least-once)
                print("commit failed: %r" % e, file=sys.stderr, flush=True)
    c.close()


def main():
    kind, bootstrap, group, topic, out_path, stop = sys.argv[1:7]
    with open(out_path, "a", buffering=1) as out:
        (run_confluent if kind == "confluent" else run_kafka_python)(bootstrap, group, topic, out, stop)


if __name__ == "__main__":
    main()
