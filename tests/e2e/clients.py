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


def consume_to_end(bootstrap, topic, partitions, timeout=120):
    """Reads every partition from offset 0 up to the high watermark it has when this starts.

    Unlike consume_all, it does not stop at a message count: a log may hold more than the test
    counted (a produce stored but not acknowledged before a crash), and stopping at a count would
    leave the tail of another partition unread.
    """
    import time
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "e2e-reader", "enable.auto.commit": False,
                  "auto.offset.reset": "earliest", "enable.partition.eof": False})
    try:
        ends = {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=30)[1] for p in partitions}
        c.assign([TopicPartition(topic, p, 0) for p in partitions if ends[p] > 0])
        next_offset = {p: 0 for p in partitions}
        out = []
        deadline = time.monotonic() + timeout
        while any(next_offset[p] < ends[p] for p in partitions):
            if time.monotonic() > deadline:
                raise RuntimeError("partitions not read to their end within %ss: at %s, ends %s" % (timeout, next_offset, ends))
            for m in c.consume(num_messages=10000, timeout=1.0):
                if m.error():
                    raise RuntimeError("consume error: %s" % m.error())
                next_offset[m.partition()] = m.offset() + 1
                out.append(m)
        return out
    finally:
        c.close()
