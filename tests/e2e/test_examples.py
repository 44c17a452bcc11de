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

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../build/bin/skiffctl"))

RESOURCES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../resources")
ADDRESS = re.compile(r'"127\.0\.0\.1:(\d+)"')
LISTENER = re.compile(r'://127\.0\.0\.1:(\d+)')   # in listeners = "NAME://host:port,..."


class ExamplesTest(unittest.TestCase):
    def start_cluster(self, tmp, directory, addresses):
        """Starts resources/DIRECTORY/node{1,2,3}.toml in `tmp` (its working directory), each
        documented port (there must be `addresses` of them) moved to a free one, the same mapping in
        every file, and data dirs under tmp; waits until every node is ready. Returns (procs, logs,
        port of each documented port)."""
        texts = {}
        for i in (1, 2, 3):
            with open(os.path.join(RESOURCES, directory, "node%d.toml" % i)) as f:
                texts[i] = f.read()
        documented = sorted({int(p) for t in texts.values() for p in ADDRESS.findall(t) + LISTENER.findall(t)})
        self.assertEqual(len(documented), addresses, documented)
        ports = {p: free_port() for p in documented}
        procs, logs = {}, {}
        self.addCleanup(self.stop, procs, logs)
        for i, text in texts.items():
            text = ADDRESS.sub(lambda m: '"127.0.0.1:%d"' % ports[int(m.group(1))], text)
            text = LISTENER.sub(lambda m: "://127.0.0.1:%d" % ports[int(m.group(1))], text)
            text, n = re.subn(r'(?m)^data\.dir = ".*"$', 'data.dir = "%s/data%d"' % (tmp, i), text)
            self.assertEqual(n, 1)
            config = os.path.join(tmp, "node%d.toml" % i)
            with open(config, "w") as f:
                f.write(text)
            logs[i] = open(os.path.join(tmp, "node%d.log" % i), "w+")
            procs[i] = subprocess.Popen([SKIFFD, "--config", config], cwd=tmp, stdout=logs[i], stderr=subprocess.STDOUT)
        http = {i: ports[int(re.search(r'http\.listen = "127\.0\.0\.1:(\d+)"', texts[i]).group(1))] for i in texts}
        deadline = time.monotonic() + 30
        pending = {1, 2, 3}
        while pending:
            for i in sorted(pending):
                self.assertIsNone(procs[i].poll(), "node %d exited:\n%s" % (i, self.read(logs[i])))
                if http_get(http[i], "/ready")[0] == 200:
                    pending.discard(i)
            self.assertLess(time.monotonic(), deadline, "not ready: %s\n%s" % (
                sorted(pending), "\n".join(self.read(logs[i])[-3000:] for i in pending)))
            time.sleep(0.05)
        return procs, logs, ports

    def stop(self, procs, logs):
        for p in procs.values():
            if p.poll() is None:
                p.kill()
                p.wait()
        for f in logs.values():
            f.close()

    def test_three_node_cluster_from_resources_cluster(self):
        with tempfile.TemporaryDirectory(prefix="skiff-examples-") as tmp:
            procs, logs, ports = self.start_cluster(tmp, "cluster", 12)   # 4 listeners x 3 nodes
            for i in (1, 2, 3):
                r = kcat("-b", "127.0.0.1:%d" % ports[int("9%d92" % i)], "-L", "-J", "-m", "5", timeout=30)
                self.assertEqual(r.returncode, 0, r.stderr)
                md = json.loads(r.stdout)
                self.assertEqual(sorted(b["id"] for b in md["brokers"]), [1, 2, 3], md)
            for i in (1, 2, 3):
                procs[i].terminate()
            for i in (1, 2, 3):
                self.assertEqual(procs[i].wait(30), 0, self.read(logs[i]))

    def test_secure_three_node_cluster_from_resources_cluster_secure(self):
        """README's "A secure 3-node cluster", step by step: certificates from make-certs.sh,
        the three configs, skiffctl over TLS (refused in plaintext; changes refused without the
        admin certificate or the token, and with a node's certificate), a user set with the admin
        certificate, a replication-factor-3 topic and alice's ACLs made with skiffctl, and a client on SASL_SSL with SCRAM-SHA-512 writing
        acks=all to the topic and reading it back in its group; refused on a topic without an ACL.
        Followers fetch as their certificates' subjects, which super.users names: every replica in
        sync and acks=all answered show that they may."""
        from confluent_kafka import Consumer, KafkaError, Producer
        from confluent_kafka.admin import AdminClient
        from harness import poll, poll_values
        with tempfile.TemporaryDirectory(prefix="skiff-secure-examples-") as tmp:
            r = subprocess.run([os.path.join(RESOURCES, "cluster-secure", "make-certs.sh"), "tls"], cwd=tmp,
                               capture_output=True, text=True, timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            procs, logs, ports = self.start_cluster(tmp, "cluster-secure", 15)   # 5 listeners x 3 nodes
            admin = "127.0.0.1:%d" % ports[9184]
            ctl = [SKIFFCTL, "--admin", admin, "--ca", "tls/ca.pem"]

            def run(*args, stdin=""):
                env = {k: v for k, v in os.environ.items() if not k.startswith("SKIFF_ADMIN_")}
                return subprocess.run(list(args), input=stdin, capture_output=True, text=True, timeout=30, cwd=tmp,
                                      env=env)
            # The admin socket speaks TLS: a plaintext skiffctl is told so.
            r = run(SKIFFCTL, "--admin", admin, "status")
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("the node's admin socket speaks TLS", r.stderr)
            # Reads need the CA alone; a change needs the admin certificate or the token.
            self.assertEqual(run(*ctl, "status").returncode, 0)
            r = run(*ctl, "users", "set", "alice", stdin="alice-secret\n")
            self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
            self.assertIn("needs the node's admin.token or a client certificate", r.stderr)
            # A node's certificate chains to the same CA, but only CN=skiff-admin counts.
            r = run(*ctl, "--cert", "tls/node1.pem", "--key", "tls/node1.key", "create-topic", "by-node1")
            self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
            self.assertIn("CN=skiff-node1 is not in admin.ssl.principals", r.stderr)
            r = run(*ctl, "--token", "change-this-token", "create-topic", "other", "--partitions", "1",
                    "--replication-factor", "3")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            ctl += ["--cert", "tls/admin.pem", "--key", "tls/admin.key"]   # README's walk-through from here
            for args, stdin in [(["users", "set", "alice"], "alice-secret\n"),
                                (["create-topic", "demo", "--partitions", "3", "--replication-factor", "3"], ""),
                                (["acls", "add", "--principal", "User:alice", "--operation", "WRITE,READ", "--topic", "demo"], ""),
                                (["acls", "add", "--principal", "User:alice", "--operation", "READ", "--group", "demo-readers"], "")]:
                r = run(*ctl, *args, stdin=stdin)
                self.assertEqual(r.returncode, 0, "%s: %s%s" % (args, r.stdout, r.stderr))
            conf = {"bootstrap.servers": "127.0.0.1:%d" % ports[9281], "security.protocol": "SASL_SSL",
                    "sasl.mechanisms": "SCRAM-SHA-512", "sasl.username": "alice", "sasl.password": "alice-secret",
                    "ssl.ca.location": os.path.join(tmp, "tls", "ca.pem")}
            self.assertEqual(sorted(b.id for b in AdminClient(conf).list_topics(timeout=10).brokers.values()), [1, 2, 3])
            p = Producer(dict(conf, acks="all"))
            for n in range(100):
                p.produce("demo", value=b"s%d" % n)
            self.assertEqual(p.flush(60), 0)
            c = Consumer(dict(conf, **{"group.id": "demo-readers", "auto.offset.reset": "earliest"}))
            c.subscribe(["demo"])
            got = poll_values(c, 100)
            c.close()
            self.assertEqual(sorted(got), sorted(b"s%d" % n for n in range(100)))

            # The followers fetch (as User:CN=skiff-nodeN on INTERNAL): acks=all above was answered once
            # every replica in the ISR had the messages, and all three are still in it.
            def in_sync():
                r = run(SKIFFCTL, "--admin", admin, "--ca", "tls/ca.pem", "--json", "topics", "demo")
                partitions = json.loads(r.stdout)["partitions"] if r.returncode == 0 else []
                return len(partitions) == 3 and all(sorted(p["isr"]) == [1, 2, 3] for p in partitions)
            poll("every replica of demo in sync", in_sync, timeout=30)

            # No ACL on "other": alice's messages are refused.
            errors = []
            p = Producer(dict(conf, **{"acks": "all", "message.timeout.ms": 15000}))
            p.produce("other", value=b"x", on_delivery=lambda err, msg: errors.append(err.code() if err else None))
            p.flush(30)
            self.assertEqual(errors, [KafkaError.TOPIC_AUTHORIZATION_FAILED])
            # Without SASL the client port serves nothing; the internal one wants a certificate.
            r = kcat("-b", "127.0.0.1:%d" % ports[9281], "-L", "-m", "5", timeout=60)
            self.assertNotEqual(r.returncode, 0)
            for i in (1, 2, 3):
                self.assertNotIn("is refused", self.read(logs[i]))
                self.assertNotIn("principal User:CN=skiff-node", self.read(logs[i]))   # no node was denied

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
