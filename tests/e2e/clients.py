"""Small helpers over the real client libraries used by the end-to-end tests."""
from confluent_kafka import Consumer, TopicPartition


def consume_all(bootstrap, topic, partitions, expected, timeout=120, extra=None):
    """Reads `expected` messages from the given partitions from the beginning (no group)."""
    conf = {"bootstrap.servers": bootstrap, "group.id": "e2e-reader", "enable.auto.commit": False,
            "auto.offset.reset": "earliest", "enable.partition.eof": False}
    conf.update(extra or {})
    c = Consumer(conf)
    c.assign([TopicPartition(topic, p, 0) for p in partitions])
    out = []
    import time
    deadline = time.monotonic() + timeout
    try:
        while len(out) < expected and time.monotonic() < deadline:
            for m in c.consume(num_messages=10000, timeout=1.0):
                if m.error():
                    raise RuntimeError("consume error: %s" % m.error())
                out.append(m)
    finally:
        c.close()
    return out
