"""kill -9 during a produce stream: every acknowledged message survives the restart."""
import threading
import time
import unittest

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from clients import consume_to_end
from harness import SkiffNode


class CrashTest(unittest.TestCase):
    def test_acknowledged_messages_survive_kill_9(self):
        node = SkiffNode().start()
        try:
            admin = AdminClient({"bootstrap.servers": node.bootstrap})
            admin.create_topics([NewTopic("durable", 3, 1)])["durable"].result(30)
            acked = []
            stop = threading.Event()

            def produce():
                p = Producer({"bootstrap.servers": node.bootstrap, "acks": "all", "linger.ms": 2,
                              "message.timeout.ms": 3000, "retries": 0, "enable.idempotence": False})
                i = 0
                while not stop.is_set():
                    try:
                        p.produce("durable", b"msg-%d" % i,
                                  on_delivery=lambda err, msg: None if err else acked.append(msg.value()))
                        i += 1
                    except BufferError:
                        pass
                    p.poll(0)
                p.flush(5)

            t = threading.Thread(target=produce)
            t.start()
            deadline = time.monotonic() + 60
            while len(acked) < 20000 and time.monotonic() < deadline:
                time.sleep(0.01)
            node.kill9()
            stop.set()
            t.join(30)
            acked_at_kill = set(acked)
            self.assertGreater(len(acked_at_kill), 1000)

            node.start()
            got = consume_to_end(node.bootstrap, "durable", [0, 1, 2], timeout=60)
            values = set(m.value() for m in got)
            missing = acked_at_kill - values
            self.assertEqual(len(missing), 0, "%d acknowledged messages lost, e.g. %s" % (len(missing), list(missing)[:5]))
            print("acknowledged before kill -9: %d, recovered: %d" % (len(acked_at_kill), len(values)))
        finally:
            node.close()


if __name__ == "__main__":
    unittest.main()
