"""node/core/BuildInfo.cmake, run as every build runs it, on a git repository of its own: the
identity names the commit, says "-dirty" while a tracked file has uncommitted changes, follows
a new commit without CMake configuring again, and leaves the file alone (time and all) while the
tree is as it was, so such a build recompiles nothing."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "node", "core")
CMAKE = shutil.which("cmake") or sys.exit("build_identity_test: cmake is not on the PATH")
GIT = shutil.which("git") or sys.exit("build_identity_test: git is not on the PATH")


class BuildIdentity(unittest.TestCase):
    def setUp(self):
        self.tree = tempfile.mkdtemp(prefix="skiff-build-id-")
        self.addCleanup(shutil.rmtree, self.tree, True)
        self.out = os.path.join(self.tree, "out", "BuildInfo.cpp")
        self.git("init", "-q")
        self.write("a.txt", "one\n")
        self.git("add", "a.txt")
        self.commit("first")

    def git(self, *args):
        return subprocess.run([GIT, "-C", self.tree] + list(args), check=True, capture_output=True, text=True,
                              env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                                       GIT_COMMITTER_EMAIL="t@t")).stdout.strip()

    def commit(self, message):
        self.git("commit", "-q", "-m", message)

    def write(self, name, text):
        with open(os.path.join(self.tree, name), "w") as f:
            f.write(text)

    def build(self):
        subprocess.run([CMAKE, "-DIN=" + os.path.join(SOURCE, "BuildInfo.cpp.in"), "-DOUT=" + self.out,
                        "-DSOURCE_DIR=" + self.tree, "-DVERSION=9.8.7", "-P", os.path.join(SOURCE, "BuildInfo.cmake")],
                       check=True, capture_output=True)
        with open(self.out) as f:
            text = f.read()
        m = re.search(r'\{"9\.8\.7", "([^"]+)", "([^"]+)"\}', text)
        self.assertIsNotNone(m, text)
        return m.group(1), m.group(2), os.stat(self.out).st_mtime_ns

    def test_the_identity_follows_the_tree_at_every_build(self):
        head = self.git("rev-parse", "--short=12", "HEAD")
        hash1, time1, mtime1 = self.build()
        self.assertEqual(hash1, head)
        self.assertRegex(time1, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")

        time.sleep(1.1)   # a rewrite would show another time
        self.assertEqual(self.build(), (hash1, time1, mtime1), "the same tree rewrote the file")

        self.write("a.txt", "two\n")
        hash2, _, _ = self.build()
        self.assertEqual(hash2, head + "-dirty")

        self.git("add", "a.txt")
        self.commit("second")
        hash3, _, _ = self.build()
        self.assertEqual(hash3, self.git("rev-parse", "--short=12", "HEAD"))
        self.assertNotEqual(hash3, head)

    def test_outside_a_repository_it_says_unknown(self):
        shutil.rmtree(os.path.join(self.tree, ".git"))
        self.assertEqual(self.build()[0], "unknown")


if __name__ == "__main__":
    unittest.main()
