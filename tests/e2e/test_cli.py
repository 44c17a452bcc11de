"""skiffd as an operator meets it: --version, --help, config errors, clean shutdown."""
import os
import socket
import tempfile
import unittest

from harness import SkiffNode, free_port, run_skiffd


class CliTest(unittest.TestCase):
    def test_version_names_build(self):
        r = run_skiffd(["--version"])
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^skiffd \d+\.\d+\.\d+ \(git ([0-9a-f]+|unknown), built \d{4}-\d\d-\d\dT")

    def test_help_lists_every_flag(self):
        r = run_skiffd(["--help"])
        self.assertEqual(r.returncode, 0)
        for flag in ["--node-id", "--cluster-id", "--data-dir", "--kafka-listen", "--kafka-advertise",
                     "--raft-listen", "--admin-listen", "--http-listen", "--peers", "--config"]:
            self.assertIn(flag, r.stdout)

    def config_error(self, args, expected):
        with tempfile.TemporaryDirectory() as d:
            r = run_skiffd(["--data-dir", d + "/data"] + args)
        self.assertEqual(r.returncode, 2, r.stderr)
        self.assertIn(expected, r.stderr)
        return r.stderr

    def test_config_errors_exit_2_with_one_line_each(self):
        self.config_error(["--kafka-listen", "nohost"], "kafka.listen: 'nohost' is not an address")
        self.config_error(["--kafka-advertise", "0.0.0.0:9092"], "kafka.advertise: 0.0.0.0 cannot be given to clients")
        port = free_port()
        err = self.config_error(["--kafka-listen", "127.0.0.1:%d" % port, "--http-listen", "127.0.0.1:%d" % port],
                                "kafka.listen and http.listen both use port %d" % port)
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        with tempfile.TemporaryDirectory() as d:
            cfg = os.path.join(d, "skiffd.toml")
            with open(cfg, "w") as f:
                f.write("node.id = 1\nretention.ms = 5\n")
            r = run_skiffd(["--config", cfg, "--data-dir", d + "/data"])
            self.assertEqual(r.returncode, 2)
            self.assertIn("skiffd.toml:2: unknown key 'retention.ms'", r.stderr)

    def test_config_that_is_a_directory_is_refused(self):
        with tempfile.TemporaryDirectory() as d:
            # Free ports: a build without the check would start, and must not take the defaults.
            ports = [arg for flag in ["--kafka-listen", "--raft-listen", "--admin-listen", "--http-listen"]
                     for arg in (flag, "127.0.0.1:%d" % free_port())]
            r = run_skiffd(["--config", d, "--data-dir", d + "/data"] + ports, timeout=10)
            self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
            self.assertEqual(r.stderr.strip().splitlines(),
                             ["skiffd: config error: %s: is a directory, not a config file; "
                              "give --config the path of the TOML file" % d])
            self.assertFalse(os.path.exists(d + "/data"), "the node started on the defaults")

    def test_data_dir_that_cannot_be_created(self):
        with tempfile.TemporaryDirectory() as d:
            open(os.path.join(d, "file"), "w").close()
            r = run_skiffd(["--data-dir", os.path.join(d, "file", "data")])
        self.assertEqual(r.returncode, 2)
        self.assertIn("data.dir: cannot create", r.stderr)

    def test_a_taken_port_fails_the_start_with_exit_1_and_names_it(self):
        # Each listener in turn finds its port held by another process: skiffd must not carry
        # on, and must not exit 0 (a supervisor would take that for a requested stop).
        for flag in ["--kafka-listen", "--raft-listen", "--admin-listen", "--http-listen"]:
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as holder:
                holder.bind(("127.0.0.1", 0))
                holder.listen()
                taken = holder.getsockname()[1]
                with tempfile.TemporaryDirectory() as d:
                    args = ["--data-dir", d + "/data"]
                    for f in ["--kafka-listen", "--raft-listen", "--admin-listen", "--http-listen"]:
                        args += [f, "127.0.0.1:%d" % (taken if f == flag else free_port())]
                    r = run_skiffd(args)
            self.assertEqual(r.returncode, 1, flag + "\n" + r.stdout + r.stderr)
            self.assertRegex(r.stdout + r.stderr, r"127\.0\.0\.1:%d.*(in use|Address)" % taken, flag)
            self.assertNotIn("state ready", r.stdout + r.stderr, flag)

    def test_sigterm_stops_cleanly(self):
        with SkiffNode() as node:
            self.assertEqual(node.stop(), 0, node.log())
            self.assertIn("stopped cleanly", node.log())
            self.assertIn("state ready", node.log())


if __name__ == "__main__":
    unittest.main()
