"""python3-kafka (kafka-python, a pure-Python client) against a real skiffd."""
import unittest

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic

from harness import SkiffNode


class KafkaPythonTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # kafka-python's consumer asks Metadata with auto-creation on and cannot be told not to; a
        # request of the closed consumer still in flight would re-create the topic just deleted.
        # The topic is created explicitly here, so auto-creation is off for this node.
        cls.node = SkiffNode(extra_args=["--auto-create-topics-enable", "false"]).start()

    @classmethod
    def tearDownClass(cls):
        cls.node.close()

    def test_admin_produce_consume(self):
        admin = KafkaAdminClient(bootstrap_servers=self.node.bootstrap, client_id="e2e")
        admin.create_topics([NewTopic("kp-topic", num_partitions=3, replication_factor=1)])
        self.assertIn("kp-topic", admin.list_topics())

        producer = KafkaProducer(bootstrap_servers=self.node.bootstrap, acks="all", linger_ms=5)
        futures = [producer.send("kp-topic", key=b"k%d" % (i % 3), value=b"v%d" % i, partition=i % 3,
                                 headers=[("n", b"%d" % i)]) for i in range(3000)]
        producer.flush()
        offsets = [f.get(timeout=30).offset for f in futures]
        self.assertEqual(sorted(offsets[0::3]), list(range(1000)))
        producer.close()

        consumer = KafkaConsumer(bootstrap_servers=self.node.bootstrap, enable_auto_commit=False,
                                 auto_offset_reset="earliest", consumer_timeout_ms=10000)
        consumer.assign([TopicPartition("kp-topic", p) for p in range(3)])
        got = []
        for m in consumer:
            got.append(m)
            if len(got) == 3000:
                break
        consumer.close()
        self.assertEqual(len(got), 3000)
        for m in got:
            i = int(m.value[1:])
            self.assertEqual(m.partition, i % 3)
            self.assertEqual(m.headers, [("n", b"%d" % i)])
            self.assertEqual(m.offset, i // 3)

        deleted = admin.delete_topics(["kp-topic"])
        self.assertEqual([e for _, e in deleted.topic_error_codes], [0])
        self.assertNotIn("kp-topic", admin.list_topics())
        admin.close()


if __name__ == "__main__":
    unittest.main()
