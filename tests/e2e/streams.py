"""A producer that streams unique values from a background thread while a test does harm to the
cluster, recording where each acknowledged value went; and the check of those acknowledgements
against what a consumer reads back afterwards."""
import os
import threading
import time

from confluent_kafka import KafkaException, Producer

from clients import consume_to_end


class AckedStream:
    """One confluent-kafka (librdkafka) producer instance, idempotent with acks=all by default,
    sending "<prefix>-<seq>" to one topic at `rate` records a second. Acknowledged values and
    their (partition, offset), failed deliveries and fatal errors are kept for the checks.
    SKIFF_TEST_RDKAFKA_DEBUG sets the client's `debug` contexts (its log on stderr), to see what
    the client made of the brokers' answers when a test fails."""

    def __init__(self, bootstrap, topic, prefix="v", rate=400, config=None):
        conf = {"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all",
                "linger.ms": 5, "message.timeout.ms": 60000, "request.timeout.ms": 5000,
                "socket.timeout.ms": 5000, "reconnect.backoff.max.ms": 500,
                "topic.metadata.refresh.interval.ms": 500, "error_cb": self._on_error}
        conf.update(config or {})
        if os.environ.get("SKIFF_TEST_RDKAFKA_DEBUG"):   # e.g. "eos,msg,broker,topic": the client's own account, on stderr
            conf["debug"] = os.environ["SKIFF_TEST_RDKAFKA_DEBUG"]
        self.producer = Producer(conf)
        self.topic, self.prefix, self.rate = topic, prefix, rate
        self.lock = threading.Lock()
        self.acked = {}       # value -> (partition, offset)
        self.failed = []      # (value, error text)
        self.fatal = []       # error texts
        self.sent = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _on_error(self, err):
        if err.fatal():
            with self.lock:
                self.fatal.append(err.str())

    def _delivered(self, err, msg):
        value = msg.value().decode()
        with self.lock:
            if err is None:
                self.acked[value] = (msg.partition(), msg.offset())
            else:
                self.failed.append((value, err.str()))

    def _run(self):
        seq = 0
        next_at = time.monotonic()
        while not self._stop.is_set():
            value = "%s-%d" % (self.prefix, seq)
            try:
                self.producer.produce(self.topic, value.encode(), on_delivery=self._delivered)
            except BufferError:
                self.producer.poll(0.1)
                continue
            except KafkaException as e:   # a fatal error: the instance can send no more
                with self.lock:
                    self.fatal.append(str(e))
                return
            self.sent.add(value)
            seq += 1
            next_at += 1.0 / self.rate
            while not self._stop.is_set() and time.monotonic() < next_at:
                try:
                    self.producer.poll(max(0.0, min(0.05, next_at - time.monotonic())))
                except KafkaException as e:   # a fatal error raised from a callback: kept, not lost with the thread
                    with self.lock:
                        self.fatal.append(str(e))
                    return

    def start(self):
        self._thread.start()
        return self

    def count(self):
        with self.lock:
            return len(self.acked)

    def wait_acked(self, more, timeout, what):
        """Waits until `more` acknowledgements beyond the current count arrived; returns the
        seconds it took. Raises AssertionError naming `what` otherwise."""
        start, began = self.count(), time.monotonic()
        while self.count() < start + more:
            if self.fatal:
                raise AssertionError("the producer hit a fatal error %s: %s" % (what, self.fatal[0]))
            if time.monotonic() - began > timeout:
                raise AssertionError("%d of %d acknowledgements %s within %.0f s (%d failed deliveries%s)" % (
                    self.count() - start, more, what, timeout, len(self.failed),
                    ", first: %s" % self.failed[0][1] if self.failed else ""))
            time.sleep(0.05)
        return time.monotonic() - began

    def stop(self, flush_timeout=60):
        """Stops sending and waits for every outstanding answer; returns how many never came."""
        self._stop.set()
        self._thread.join()
        left = self.producer.flush(flush_timeout)
        return left

    def abort(self):
        """Stops without waiting for answers (a test that already failed)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()
        self.producer.purge()
        self.producer.flush(1)


def acknowledgement_problems(stream, bootstrap, topic, partitions, duplicates_allowed=False):
    """Reads every partition from the start and returns one line per broken promise: an
    acknowledged value missing from its acknowledged offset (lost), a value read at two offsets
    (duplicate; unless allowed: a stream without idempotence may store a retry twice), a value
    read that was never sent. Also returns how many records were read."""
    records = consume_to_end(bootstrap, topic, partitions, timeout=120)
    at = {(m.partition(), m.offset()): m.value().decode() for m in records}
    where = {}
    for place, value in at.items():
        where.setdefault(value, []).append(place)
    problems = []
    lost = [(v, place) for v, place in stream.acked.items() if at.get(place) != v]
    if lost:
        v, place = sorted(lost, key=lambda x: x[1])[0]
        problems.append("%d acknowledged records lost, the first %s at %s-%d offset %d (read there: %s)" % (
            len(lost), v, topic, place[0], place[1], at.get(place, "nothing")))
    dups = {v: places for v, places in where.items() if len(places) > 1}
    if dups and not duplicates_allowed:
        v = sorted(dups)[0]
        problems.append("%d values stored twice, e.g. %s at %s" % (len(dups), v, sorted(dups[v])))
    unexpected = [v for v in where if v not in stream.sent]
    if unexpected:
        problems.append("%d values read that were never sent, e.g. %s" % (len(unexpected), unexpected[0]))
    return problems, len(records)
