"""The way out of a halted metadata loop: an entry the state machine refuses stops the loop at
every start (it is committed), so the node says which entry and how to get past it, and the
offline commands show it and skip it (README: a halted metadata loop)."""
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from harness import SKIFFD, SkiffNode, api_versions_ok  # noqa: E402

PLANT_ENTRY = os.environ["PLANT_ENTRY"]
ENTRY_NOOP = 3


class HaltedLogTest(unittest.TestCase):
    def test_a_refused_entry_is_named_shown_and_skipped(self):
        with SkiffNode() as node:
            node.stop()
            planted = subprocess.run([PLANT_ENTRY, node.data_dir, str(ENTRY_NOOP), "010203040506"],
                                     capture_output=True, text=True, check=True).stdout.split()
            index, term = int(planted[0]), int(planted[1])
            config = node.args()[1:]

            # Every start stops at the entry, naming it and the commands that get past it.
            node.start(wait=False)
            self.assertEqual(node.proc.wait(timeout=30), 1, node.log()[-3000:])
            self.assertIn("entry %d (term %d) is NOOP but carries 6 bytes of data" % (index, term), node.log())
            self.assertIn("--metadata-show-entry %d" % index, node.log())
            self.assertIn("--metadata-skip-entry %d:%d" % (index, term), node.log())

            show = subprocess.run([SKIFFD] + config + ["--metadata-show-entry", str(index)],
                                  capture_output=True, text=True, timeout=30)
            self.assertEqual(show.returncode, 0, show.stderr)
            self.assertIn("entry %d (term %d): NOOP with 6 bytes of data: 010203040506" % (index, term), show.stdout)

            wrong = subprocess.run([SKIFFD] + config + ["--metadata-skip-entry", "%d:%d" % (index, term + 1)],
                                   capture_output=True, text=True, timeout=30)
            self.assertEqual(wrong.returncode, 1)
            self.assertIn("has term %d, not %d: nothing skipped" % (term, term + 1), wrong.stderr)
            self.assertEqual(subprocess.run([SKIFFD] + config + ["--metadata-skip-entry", "x"],
                                            capture_output=True, timeout=30).returncode, 2)

            skip = subprocess.run([SKIFFD] + config + ["--metadata-skip-entry", "%d:%d" % (index, term)],
                                  capture_output=True, text=True, timeout=30)
            self.assertEqual(skip.returncode, 0, skip.stderr)
            self.assertIn("will be skipped", skip.stdout)

            node.start()
            self.assertTrue(api_versions_ok(node.kafka_port))
            self.assertIn("entry %d (term %d) skipped without effect" % (index, term), node.log())
            # And again at the next start (the entry is still in the log, still skipped).
            node.stop()
            node.start()
            self.assertIsNone(node.proc.poll())

    def test_the_offline_commands_refuse_a_running_node(self):
        with SkiffNode() as node:
            r = subprocess.run([SKIFFD] + node.args()[1:] + ["--metadata-show-entry", "1"],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 1)
            self.assertIn("stop it first", r.stderr)
            time.sleep(0.1)
            self.assertIsNone(node.proc.poll())


if __name__ == "__main__":
    unittest.main()
