"""How a run watches its clients (no bed, no cluster): a client process that ends by itself is
recorded once for the checker with the end of its log, and the wait after the heal ends once every
producer has an acknowledgement and every consumer a read after it."""
import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import unittest.mock

import checker
import worker
from confluent_kafka import KafkaError, KafkaException
from run import Run


class RunClientsTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory(prefix="skiff-run-clients-")
        self.addCleanup(self.folder.cleanup)
        self.run_ = Run(out=self.folder.name, verbose=False)

    def client(self, wid, role, code, ops=()):
        """A stand-in client: writes `ops` to its history, then runs `code`."""
        out = os.path.join(self.folder.name, "history-%s.jsonl" % wid)
        with open(out, "w") as f:
            for op in ops:
                f.write(json.dumps(dict(op, process=wid)) + "\n")
        log = open(os.path.join(self.folder.name, "worker-%s.log" % wid), "w")
        self.addCleanup(log.close)
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=log, stderr=subprocess.STDOUT)
        self.addCleanup(lambda: proc.poll() is None and (proc.kill(), proc.wait()))
        self.run_.workers.append((proc, out, log))
        self.run_.roles[out] = role
        return proc

    def test_a_client_that_ended_by_itself_is_a_stalled_load(self):
        crashed = self.client("p2", "produce", "import sys; print('KafkaException: FATAL'); sys.exit(3)")
        self.client("p1", "produce", "import time; time.sleep(30)")
        crashed.wait()
        self.run_.exited_workers()
        self.run_.exited_workers()   # once only
        exits = [op for op in self.run_.history if op["f"] == "client-exited"]
        self.assertEqual([op["value"] for op in exits], ["client p2 exited by itself (code 3): KafkaException: FATAL"])
        self.assertEqual(checker.check(self.run_.history)["findings"]["stalled"], [exits[0]["value"]])

    def test_the_wait_after_the_heal_ends_when_every_client_moved_on(self):
        healed = time.monotonic()
        ok = {"type": "ok", "f": "send", "time": healed + 1, "value": "p1-9", "partition": 0, "offset": 9}
        read = {"type": "ok", "f": "read", "time": healed + 1, "partition": 0, "offset": 9, "value": "p1-9"}
        self.client("p1", "produce", "import time; time.sleep(30)", ops=[dict(ok, time=healed - 5)])
        self.client("c1", "consume", "import time; time.sleep(30)", ops=[read])
        self.client("m1", "metadata", "import time; time.sleep(30)")   # not waited for
        self.assertFalse(self.run_.progressed_since(healed), "p1's only acknowledgement came before the heal")
        with open(os.path.join(self.folder.name, "history-p1.jsonl"), "a") as f:
            f.write(json.dumps(dict(ok, process="p1")) + "\n" + '{"process": "p1", "type": "inv')   # a line being written
        self.assertTrue(self.run_.progressed_since(healed))


class FakeProducer:
    """Stands in for confluent_kafka.Producer in worker.produce: acknowledges every record at the
    next poll, and the first producer made fails fatally (as librdkafka's sequence
    desynchronization does) at its third poll, raising from poll() as confluent-kafka does."""
    made = []

    def __init__(self, config):
        self.config, self.pending, self.polls = config, [], 0
        FakeProducer.made.append(self)

    def produce(self, topic, value, key, on_delivery):
        self.pending.append((topic, value, on_delivery))

    def poll(self, timeout):
        self.polls += 1
        if self is FakeProducer.made[0] and self.polls == 3:
            raise KafkaException(KafkaError(KafkaError.OUT_OF_ORDER_SEQUENCE_NUMBER, "sequence desynchronization",
                                            fatal=True))
        if len(FakeProducer.made) == 2 and self.polls >= 5:
            worker.stopping = True
        for i, (topic, value, done) in enumerate(self.pending):
            done(None, FakeMessage(topic, value, i))
        self.pending = []

    def flush(self, timeout=None):
        return 0

    def purge(self):
        self.pending = []


class FakeMessage:
    def __init__(self, topic, value, offset):
        self._topic, self._value, self._offset = topic, value, offset

    def topic(self):
        return self._topic

    def partition(self):
        return 0

    def offset(self):
        return self._offset


class ProducerFatalErrorTest(unittest.TestCase):
    def test_a_fatal_client_error_is_recorded_and_the_load_goes_on_with_a_new_producer(self):
        folder = tempfile.TemporaryDirectory(prefix="skiff-worker-")
        self.addCleanup(folder.cleanup)
        out = os.path.join(folder.name, "history-p1.jsonl")
        FakeProducer.made = []
        worker.stopping = False
        self.addCleanup(setattr, worker, "stopping", False)
        with unittest.mock.patch.object(worker, "Producer", FakeProducer):
            args = type("Args", (), {"bootstrap": "fake:9092", "topic": "queue", "id": "p1", "rate": 1000})()
            worker.produce(args, worker.History(out, "p1"))
        with open(out) as f:
            history = [json.loads(line) for line in f]
        self.assertEqual(len(FakeProducer.made), 2, "a new producer after the fatal error")
        fatal = [op for op in history if op["f"] == "client-fatal"]
        self.assertEqual(len(fatal), 1)
        self.assertIn("sequence desynchronization", fatal[0]["error"])
        after = [op for op in history if op["f"] == "send" and op["type"] == "ok" and op["time"] > fatal[0]["time"]]
        self.assertGreater(len(after), 0, "sends acknowledged after the fatal error")


if __name__ == "__main__":
    unittest.main()
