"""kcat (librdkafka's CLI) against a real skiffd."""
import unittest

from harness import SkiffNode, kcat


class KcatTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.node = SkiffNode().start()

    @classmethod
    def tearDownClass(cls):
        cls.node.close()

    def test_metadata_lists_the_broker(self):
        r = kcat("-b", self.node.bootstrap, "-L", "-J")
        self.assertEqual(r.returncode, 0, r.stderr)
        import json
        md = json.loads(r.stdout)
        self.assertEqual([(b["id"], b["name"]) for b in md["brokers"]], [(1, self.node.bootstrap)])
        self.assertEqual(md["controllerid"], 1)

    def test_produce_and_consume_with_keys(self):
        lines = "".join("k%d:value %d\n" % (i % 7, i) for i in range(1000))
        r = kcat("-b", self.node.bootstrap, "-t", "kcat-topic", "-P", "-K:", input=lines.encode())
        self.assertEqual(r.returncode, 0, r.stderr)
        r = kcat("-b", self.node.bootstrap, "-t", "kcat-topic", "-C", "-e", "-f", "%k:%s:%o\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout.decode().splitlines()
        self.assertEqual(out, ["k%d:value %d:%d" % (i % 7, i, i) for i in range(1000)])

    def test_consume_from_offset_and_count(self):
        kcat("-b", self.node.bootstrap, "-t", "kcat-offsets", "-P", input="".join("m%d\n" % i for i in range(50)).encode())
        r = kcat("-b", self.node.bootstrap, "-t", "kcat-offsets", "-C", "-o", "40", "-c", "5", "-e")
        self.assertEqual(r.stdout.decode().split(), ["m40", "m41", "m42", "m43", "m44"])


if __name__ == "__main__":
    unittest.main()
