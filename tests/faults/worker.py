"""One client of a fault run, in its own process, writing its history as JSON lines.

  worker.py produce --bootstrap B --topic T --id p1 --out FILE [--rate N]
  worker.py consume --bootstrap B --topic T --group G --id c1 --out FILE
  worker.py metadata --bootstrap B1,B2,B3 --topic PREFIX --id m1 --out FILE

A producer sends unique values ("<id>-<seq>") with keys spread over partitions, idempotent with
acks=all, and records invoke, then ok (partition, offset) / fail / info (outcome unknown: the
client gave up waiting, so the record may or may not be written). A consumer in a group records
every record it reads, each new assignment, and each commit it makes (synchronously, after every
batch). A metadata client creates topics, adds partitions, changes configs and deletes topics,
each through a node drawn at random. All stop on SIGTERM, after flushing what is in flight.
"""
import argparse
import json
import os
import random
import signal
import sys
import time

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition

# Errors after which the record may have been written: the outcome is unknown ("info").
UNKNOWN = {KafkaError._MSG_TIMED_OUT, KafkaError._TIMED_OUT, KafkaError._TRANSPORT,
           KafkaError._ALL_BROKERS_DOWN, KafkaError._PURGE_INFLIGHT, KafkaError._PURGE_QUEUE,
           KafkaError.REQUEST_TIMED_OUT, KafkaError.NETWORK_EXCEPTION, KafkaError._FATAL,
           KafkaError.KAFKA_STORAGE_ERROR, KafkaError.NOT_ENOUGH_REPLICAS_AFTER_APPEND}

stopping = False


def _stop(*_):
    global stopping
    stopping = True


class History:
    def __init__(self, path, process):
        self.f = open(path, "a", buffering=1)
        self.process = process

    def record(self, type_, f, **fields):
        op = {"process": self.process, "type": type_, "f": f, "time": time.monotonic()}
        op.update(fields)
        self.f.write(json.dumps(op) + "\n")


def debug():
    """librdkafka debug contexts into each worker's log: eos unless SKIFF_FAULTS_CLIENT_DEBUG says
    otherwise (eos,msg for more; "" for none). eos logs each producer id and epoch the client
    gets and why it asks for a new one, which a duplicate needs for its explanation."""
    contexts = os.environ.get("SKIFF_FAULTS_CLIENT_DEBUG", "eos")
    return {"debug": contexts} if contexts else {}


def produce(a, h):
    # librdkafka bumps the producer epoch when a record times out (message.timeout.ms) and when a
    # request 2..5 gets an out-of-order sequence after request 1 timed out; it then re-sends the
    # records that were possibly written under new sequence numbers, duplicating them on any
    # broker, Apache Kafka's included (confluentinc/librdkafka#4953). So: one request in flight,
    # and records that outlive any fault the bed schedules. The bed checks the broker, not that.
    config = {"bootstrap.servers": a.bootstrap, "enable.idempotence": True, "acks": "all",
              "max.in.flight.requests.per.connection": 1,
              "message.timeout.ms": 120000, "request.timeout.ms": 3000, "linger.ms": 5,
              "socket.timeout.ms": 3000, "reconnect.backoff.max.ms": 500,
              "topic.metadata.refresh.interval.ms": 1000, **debug()}
    rng = random.Random(a.id)
    seq = 0
    fatal = []

    def on_error(err):
        if err.fatal():
            fatal.append(err)

    def poll(p, timeout):
        # confluent-kafka raises a fatal error from poll() instead of passing it to error_cb.
        try:
            p.poll(timeout)
        except KafkaException as e:
            if not e.args[0].fatal():
                raise
            fatal.append(e.args[0])

    def done(err, msg, value):
        if err is None:
            h.record("ok", "send", value=value, topic=msg.topic(), partition=msg.partition(), offset=msg.offset())
        else:
            kind = "info" if err.code() in UNKNOWN or err.fatal() or err.retriable() else "fail"
            h.record(kind, "send", value=value, topic=a.topic, error=err.str())

    def retire(p):
        # Whatever is still in flight was never answered: unknown (reported to done() as purged).
        p.purge()
        try:
            p.flush(1)
        except KafkaException:
            pass   # the fatal error again: it is recorded already

    p = Producer(dict(config, error_cb=on_error))
    interval = 1.0 / a.rate
    next_at = time.monotonic()
    while not stopping:
        if fatal:
            # The client library gave up on its producer id: librdkafka sends a partition's next
            # request to a new leader while the one before is still unanswered on the deposed
            # leader (one in flight is per connection), and the new leader rightly refuses the gap
            # with OUT_OF_ORDER_SEQUENCE_NUMBER, which librdkafka makes fatal. The broker kept its
            # promise; the load goes on with a new producer (a new producer id), as an application
            # would, and the history says so.
            h.record("info", "client-fatal", error=fatal[0].str())
            fatal.clear()
            retire(p)
            p = Producer(dict(config, error_cb=on_error))
        value = "%s-%d" % (a.id, seq)
        seq += 1
        h.record("invoke", "send", value=value, topic=a.topic)
        try:
            p.produce(a.topic, value=value.encode(), key=str(rng.randrange(1000)).encode(),
                      on_delivery=lambda err, msg, v=value: done(err, msg, v))
        except BufferError as e:
            h.record("fail", "send", value=value, topic=a.topic, error=str(e))
        except KafkaException as e:   # produce() refused by a producer that just failed fatally: not queued
            h.record("fail", "send", value=value, topic=a.topic, error=e.args[0].str())
        next_at += interval
        while not stopping and not fatal and time.monotonic() < next_at:
            poll(p, max(0.0, min(0.05, next_at - time.monotonic())))
    try:
        p.flush(15)
    except KafkaException as e:   # fatal meanwhile: what is unanswered is unknown, as below
        h.record("info", "client-fatal", error=e.args[0].str())
    retire(p)


def consume(a, h):
    c = Consumer({"bootstrap.servers": a.bootstrap, "group.id": a.group, "enable.auto.commit": False,
                  "auto.offset.reset": "earliest", "session.timeout.ms": 6000,
                  "heartbeat.interval.ms": 500, "topic.metadata.refresh.interval.ms": 1000})

    def on_assign(consumer, partitions):
        h.record("ok", "assign", partitions=[tp.partition for tp in partitions], topic=a.topic)

    def on_revoke(consumer, partitions):
        h.record("ok", "revoke", partitions=[tp.partition for tp in partitions], topic=a.topic)

    c.subscribe([a.topic], on_assign=on_assign, on_revoke=on_revoke)
    while not stopping:
        msgs = c.consume(100, 0.2)
        latest = {}
        for m in msgs:
            if m.error():
                continue
            h.record("ok", "read", topic=m.topic(), partition=m.partition(), offset=m.offset(),
                     value=m.value().decode())
            latest[m.partition()] = m.offset() + 1
        if latest:
            offsets = {str(p): o for p, o in latest.items()}
            h.record("invoke", "commit", group=a.group, topic=a.topic, offsets=offsets)
            try:
                c.commit(offsets=[TopicPartition(a.topic, p, o) for p, o in latest.items()], asynchronous=False)
                h.record("ok", "commit", group=a.group, topic=a.topic, offsets=offsets)
            except Exception as e:   # a commit refused or lost: not acknowledged
                h.record("info", "commit", group=a.group, topic=a.topic, offsets=offsets, error=str(e))
    c.close()


def metadata(a, h):
    """Topic create / add-partitions / config change / delete through a random node each time."""
    from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic
    rng = random.Random(a.id)
    nodes = a.bootstrap.split(",")
    live = {}   # topic -> partitions, for topics whose creation was acknowledged
    n = 0
    while not stopping:
        node = rng.choice(nodes)
        admin = AdminClient({"bootstrap.servers": node, "socket.timeout.ms": 3000})
        choice = rng.random()
        if not live or choice < 0.5:
            n += 1
            name, f = "%s-%s-%d" % (a.topic, a.id, n), "create-topic"
            fields = {"value": name, "partitions": 1}
            call = lambda: admin.create_topics([NewTopic(name, 1, 1)], operation_timeout=5)[name]
        elif choice < 0.7:
            name = rng.choice(sorted(live))
            f, fields = "create-partitions", {"value": name, "partitions": live[name] + 1}
            call = lambda: admin.create_partitions([NewPartitions(name, live[name] + 1)], operation_timeout=5)[name]
        elif choice < 0.85:
            name = rng.choice(sorted(live))
            f, fields = "alter-config", {"value": name, "retention.ms": str(rng.randrange(3600000, 7200000))}
            res = ConfigResource("topic", name, set_config={"retention.ms": fields["retention.ms"]})
            call = lambda: admin.alter_configs([res])[res]
        else:
            name = rng.choice(sorted(live))
            f, fields = "delete-topic", {"value": name}
            call = lambda: admin.delete_topics([name], operation_timeout=5)[name]
        h.record("invoke", f, node=node, **fields)
        try:
            call().result(10)
            h.record("ok", f, node=node, **fields)
            if f == "create-topic":
                live[name] = 1
            elif f == "create-partitions":
                live[name] += 1
            elif f == "delete-topic":
                del live[name]
        except KafkaException as e:
            err = e.args[0]
            kind = "info" if err.code() in UNKNOWN or err.retriable() else "fail"
            h.record(kind, f, node=node, error=err.str(), **fields)
        except Exception as e:   # a timeout waiting for the answer: outcome unknown
            h.record("info", f, node=node, error=str(e), **fields)
        for _ in range(10):
            if stopping:
                break
            time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("role", choices=["produce", "consume", "metadata"])
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--id", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--group", default="faults")
    ap.add_argument("--rate", type=float, default=100)
    a = ap.parse_args()
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    h = History(a.out, a.id)
    {"produce": produce, "consume": consume, "metadata": metadata}[a.role](a, h)
    return 0


if __name__ == "__main__":
    sys.exit(main())
