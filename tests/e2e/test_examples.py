"""The configs the README documents are the ones tested: resources/cluster/node{1,2,3}.toml start a
3-node cluster (only data dirs and ports rewritten, to free ones, since this machine is shared), and
resources/skiffd.example.toml (the package's /etc/skiff/skiffd.toml) names every key."""
import json
import os
import re
import subprocess
import tempfile
import time
import unittest

from harness import SKIFFD, free_port, http_get, kcat, run_skiffd

RESOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../resources")
ADDRESS = re.compile(r'"127\.0\.0\.1:(\d+)"')


class ExamplesTest(unittest.TestCase):
    def test_three_node_cluster_from_resources_cluster(self):
        with tempfile.TemporaryDirectory(prefix="skiff-examples-") as tmp:
            texts = {}
            for i in (1, 2, 3):
                with open(os.path.join(RESOURCES, "cluster", "node%d.toml" % i)) as f:
                    texts[i] = f.read()
            # One free port per documented port, the same mapping in every file.
            documented = sorted({int(p) for t in texts.values() for p in ADDRESS.findall(t)})
            self.assertEqual(len(documented), 12, documented)   # 4 listeners x 3 nodes
            ports = {p: free_port() for p in documented}
            configs, http_ports, kafka_ports = {}, {}, {}
            for i, text in texts.items():
                text = ADDRESS.sub(lambda m: '"127.0.0.1:%d"' % ports[int(m.group(1))], text)
                text, n = re.subn(r'(?m)^data\.dir = ".*"$', 'data.dir = "%s/data%d"' % (tmp, i), text)
                self.assertEqual(n, 1)
                http_ports[i] = ports[int(re.search(r'http\.listen = "127\.0\.0\.1:(\d+)"', texts[i]).group(1))]
                kafka_ports[i] = ports[int(re.search(r'kafka\.listen = "127\.0\.0\.1:(\d+)"', texts[i]).group(1))]
                configs[i] = os.path.join(tmp, "node%d.toml" % i)
                with open(configs[i], "w") as f:
                    f.write(text)
            procs, logs = {}, {}
            try:
                for i in (1, 2, 3):
                    logs[i] = open(os.path.join(tmp, "node%d.log" % i), "w+")
                    procs[i] = subprocess.Popen([SKIFFD, "--config", configs[i]], cwd=tmp,
                                                stdout=logs[i], stderr=subprocess.STDOUT)
                deadline = time.monotonic() + 30
                pending = {1, 2, 3}
                while pending:
                    for i in sorted(pending):
                        self.assertIsNone(procs[i].poll(), "node %d exited:\n%s" % (i, self.read(logs[i])))
                        if http_get(http_ports[i], "/ready")[0] == 200:
                            pending.discard(i)
                    self.assertLess(time.monotonic(), deadline, "not ready: %s\n%s" % (
                        sorted(pending), "\n".join(self.read(logs[i])[-3000:] for i in pending)))
                    time.sleep(0.05)
                for i in (1, 2, 3):
                    r = kcat("-b", "127.0.0.1:%d" % kafka_ports[i], "-L", "-J", "-m", "5", timeout=30)
                    self.assertEqual(r.returncode, 0, r.stderr)
                    md = json.loads(r.stdout)
                    self.assertEqual(sorted(b["id"] for b in md["brokers"]), [1, 2, 3], md)
                for i in (1, 2, 3):
                    procs[i].terminate()
                for i in (1, 2, 3):
                    self.assertEqual(procs[i].wait(30), 0, self.read(logs[i]))
            finally:
                for i, p in procs.items():
                    if p.poll() is None:
                        p.kill()
                        p.wait()
                for f in logs.values():
                    f.close()

    def test_example_config_names_every_key_and_parses(self):
        with open(os.path.join(RESOURCES, "skiffd.example.toml")) as f:
            text = f.read()
        # Keys as written, commented out or not: "# log.retention.ms = ..." or "data.dir = ...".
        written = {m.replace(".", "-").replace("_", "-")
                   for m in re.findall(r"(?m)^#? ?([a-z][a-z0-9_.]*) = ", text)}
        written.add("peers") if "[[peers]]" in text else None
        flags = re.findall(r"(?m)^  --([a-z0-9-]+)\s{2,}", run_skiffd(["--help"]).stdout)
        flags = [f for f in flags if f not in ("config", "help", "version")]
        self.assertGreater(len(flags), 20)
        self.assertEqual(sorted(set(flags) - written), [], "keys missing from skiffd.example.toml")
        # Every commented-out key, uncommented, is accepted by skiffd's own loader (peers and join,
        # kafka.listen and listeners: alternatives, so the shorthand is left out); so is the file as shipped.
        uncommented = "\n".join(line[2:] for line in text.splitlines()
                                 if re.match(r"^# [a-z][a-z0-9_.]* = ", line)
                                 and not re.match(r"^# (join|id|address|kafka\.listen|kafka\.advertise) = ", line))
        with tempfile.TemporaryDirectory() as d:
            for name, body in [("shipped.toml", text), ("uncommented.toml", uncommented)]:
                path = os.path.join(d, name)
                with open(path, "w") as f:
                    f.write(body)
                # A bad flag on top: reaching flag validation shows the file itself had no error.
                r = run_skiffd(["--config", path, "--data-dir", d + "/data", "--http-listen", "nohost"])
                self.assertEqual(r.returncode, 2, r.stderr)
                lines = r.stderr.strip().splitlines()
                self.assertEqual(len(lines), 1, "%s: %s" % (name, r.stderr))
                self.assertIn("http.listen: 'nohost' is not an address", lines[0])

    @staticmethod
    def read(f):
        f.flush()
        f.seek(0)
        return f.read()


if __name__ == "__main__":
    unittest.main()
