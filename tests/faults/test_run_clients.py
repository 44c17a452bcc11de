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

import checker
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


if __name__ == "__main__":
    unittest.main()
