"""TLS on the admin socket (issue #18): skiffd with admin.ssl.enable and skiffctl with --tls, --ca,
--cert and --key. What each admin.mutation.auth rule lets through and refuses (certificate,
token-and-certificate, token-or-certificate, admin.ssl.principals), the one-line errors skiffctl
prints for a wrong CA, a wrong name, a plaintext client on a TLS socket and a TLS client on a
plaintext one, and a connection that never starts its handshake closed by ssl.handshake.timeout.ms
while others are served, and renewed certificate files taken on SIGHUP and on change. Certificates
are made here with the openssl CLI (tls_certs.py)."""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest

from harness import SkiffNode, closed_by_peer, metric, poll
from tls_certs import Certificates, NodeWithCertificates, served_certificate_subject

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
DASHBOARD = os.environ.get("SKIFF_DASHBOARD", os.path.join(os.path.dirname(__file__), "../../build/bin/skiff-dashboard"))
TOKEN = "e2e-admin-tls-token"


def ctl(node, *args, ca=None, cert=None, key=None, token=None, tls=False, env=None):
    """skiffctl against `node`'s admin socket with only the TLS options and token given here
    (none inherited from this process's environment)."""
    cmd = [SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port, "--timeout-ms", "10000"]
    if tls:
        cmd.append("--tls")
    for flag, value in (("--ca", ca), ("--cert", cert), ("--key", key), ("--token", token)):
        if value:
            cmd += [flag, value]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SKIFF_ADMIN_")}
    clean.update(env or {})
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=60, env=clean)


def dashboard(*args):
    """skiff-dashboard offscreen in batch mode, with no admin TLS settings from this process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKIFF_ADMIN_")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([DASHBOARD] + list(args), capture_output=True, text=True, timeout=120, env=env)


def topic_names(node, certs):
    r = ctl(node, "--json", "topics", ca=certs.ca)
    if r.returncode != 0:
        raise AssertionError("skiffctl topics exited %d: %s" % (r.returncode, r.stderr))
    return [t["name"] for t in json.loads(r.stdout)["topics"]]


def node_id(status_stdout):
    """The node id `skiffctl --json status` printed for its one node."""
    return json.loads(status_stdout)["nodes"][0]["status"]["node_id"]


def next_status(watcher):
    """The next status snapshot a `skiffctl --json watch` process prints (events skipped)."""
    for line in watcher.stdout:
        answer = json.loads(line)
        if "status" in answer:
            return answer["status"]
    raise AssertionError("skiffctl watch ended")


class AdminTlsNode(NodeWithCertificates):
    """A class of tests sharing one node whose admin socket speaks TLS with ARGS."""
    ARGS = []

    @classmethod
    def node_options(cls, certs):
        cls.admin_cert, cls.admin_key = certs.dir.make_cert("admin", "ca", server=False)   # CN=admin
        return {"extra_args": certs.node_args() + ["--admin-ssl-enable", "true"] + cls.ARGS}

    def create_topic(self, name, **kw):
        return ctl(self.node, "create-topic", name, **kw)

    def assertRefused(self, r, words):
        self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
        self.assertIn(words, r.stderr)
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)   # one line


class CertificateRuleTest(AdminTlsNode):
    """Mutations need a client certificate of CN=admin; certificates are requested, not required,
    so clients without one still read."""
    ARGS = ["--admin-ssl-client-auth", "requested", "--admin-mutation-auth", "certificate",
            "--admin-ssl-principals", "CN=admin", "--ssl-handshake-timeout-ms", "1000"]

    def test_status_over_tls_with_the_ca(self):
        r = ctl(self.node, "--json", "status", ca=self.certs.ca)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(node_id(r.stdout), 1)
        # The CA from $SKIFF_ADMIN_CA implies TLS as --ca does.
        r = ctl(self.node, "--json", "status", env={"SKIFF_ADMIN_CA": self.certs.ca})
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(node_id(r.stdout), 1)

    def test_watch_and_events_go_over_tls_too(self):
        r = ctl(self.node, "--json", "watch", "--count", "1", ca=self.certs.ca)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertTrue(any("status" in json.loads(line) for line in r.stdout.splitlines()), r.stdout)
        r = ctl(self.node, "events", ca=self.certs.ca)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_wrong_ca_is_one_clear_line_and_exit_1(self):
        r = ctl(self.node, "status", ca=self.certs.dir.file("otherca.pem"))
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("127.0.0.1:%d: certificate verify failed: " % self.node.admin_port, r.stderr)
        self.assertIn("(is --ca the cluster's CA?)", r.stderr)
        self.assertEqual(r.stderr.count("\n"), 1, r.stderr)

    def test_a_name_the_certificate_does_not_carry_is_refused(self):
        r = ctl(self.node, "--tls-server-name", "admin.example.com", "status", ca=self.certs.ca)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("the node's certificate (CN=node) is not made out for admin.example.com", r.stderr)
        r = ctl(self.node, "--tls-server-name", "localhost", "status", ca=self.certs.ca)   # a DNS name it carries
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_plaintext_skiffctl_is_told_to_use_tls_and_others_are_served(self):
        watcher = subprocess.Popen([SKIFFCTL, "--admin", "127.0.0.1:%d" % self.node.admin_port, "--ca", self.certs.ca,
                                    "--json", "watch", "--rate", "5"], stdout=subprocess.PIPE, text=True)
        try:
            self.assertEqual(next_status(watcher)["node_id"], 1)
            r = ctl(self.node, "status")
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("127.0.0.1:%d: the node's admin socket speaks TLS (admin.ssl.enable); connect with TLS: "
                          "skiffctl --tls --ca FILE" % self.node.admin_port, r.stderr)
            self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
            # The watch that was open goes on, and new TLS clients are served.
            for _ in range(3):
                self.assertEqual(next_status(watcher)["node_id"], 1)
            self.assertIsNone(watcher.poll())
            self.assertEqual(ctl(self.node, "status", ca=self.certs.ca).returncode, 0)
        finally:
            watcher.kill()
            watcher.wait()
            watcher.stdout.close()
        poll("the plaintext client's line", lambda: "a plaintext client on the TLS admin socket" in self.node.log())

    def test_mutation_needs_a_certificate_of_a_listed_subject(self):
        r = self.create_topic("no-cert", ca=self.certs.ca)
        self.assertRefused(r, "create_topic needs a client certificate (admin.mutation.auth = certificate;")
        # A certificate of the cluster's CA, but CN=client is not in admin.ssl.principals.
        r = self.create_topic("not-listed", ca=self.certs.ca, cert=self.certs.client_cert, key=self.certs.client_key)
        self.assertRefused(r, "the client certificate's subject CN=client is not in admin.ssl.principals")
        # No token can stand in for the certificate under this rule.
        r = self.create_topic("token-only", ca=self.certs.ca, token=TOKEN)
        self.assertRefused(r, "needs a client certificate")
        r = self.create_topic("with-cert", ca=self.certs.ca, cert=self.admin_cert, key=self.admin_key)
        self.assertEqual(r.returncode, 0, r.stderr)
        names = topic_names(self.node, self.certs)
        self.assertIn("with-cert", names)
        for refused in ("no-cert", "not-listed", "token-only"):
            self.assertNotIn(refused, names)
        poll("the refusal's line", lambda: "refused create_topic from 127.0.0.1" in self.node.log())
        self.assertGreaterEqual(metric(self.node, "skiff_admin_mutations_refused_total"), 3)

    def test_a_certificate_of_another_ca_is_refused(self):
        r = self.create_topic("stranger", ca=self.certs.ca, cert=self.certs.stranger_cert, key=self.certs.stranger_key)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("is --cert signed by the node's ssl.ca.location?", r.stderr)
        self.assertNotIn("stranger", topic_names(self.node, self.certs))
        poll("the handshake's line", lambda: "TLS handshake failed: the client certificate is refused" in self.node.log())

    def test_a_connection_that_sends_nothing_is_closed_by_the_handshake_timeout(self):
        silent = socket.create_connection(("127.0.0.1", self.node.admin_port))
        try:
            # Meanwhile the node serves others.
            r = ctl(self.node, "status", ca=self.certs.ca)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIsNotNone(closed_by_peer(silent, wait=30), "the silent connection was never closed")
        finally:
            silent.close()
        poll("the timeout's line", lambda: "its TLS handshake is not done" in self.node.log())
        self.assertIn("ssl.handshake.timeout.ms = 1000", self.node.log())
        self.assertGreaterEqual(metric(self.node, "skiff_admin_connections_closed_total", reason="tls_handshake"), 1)
        self.assertEqual(ctl(self.node, "status", ca=self.certs.ca).returncode, 0)


class TokenAndCertificateTest(AdminTlsNode):
    """Client certificates required in the handshake; mutations need the token as well."""
    ARGS = ["--admin-ssl-client-auth", "required", "--admin-mutation-auth", "token-and-certificate",
            "--admin-token", TOKEN]

    def test_both_are_needed(self):
        cert = dict(ca=self.certs.ca, cert=self.admin_cert, key=self.admin_key)
        r = self.create_topic("cert-only", **cert)
        self.assertRefused(r, "create_topic needs the node's admin.token as well as the client certificate "
                              "(admin.mutation.auth = token-and-certificate;")
        r = self.create_topic("wrong-token", token="not-" + TOKEN, **cert)
        self.assertRefused(r, "needs the node's admin.token as well as the client certificate")
        r = self.create_topic("both", token=TOKEN, **cert)
        self.assertEqual(r.returncode, 0, r.stderr)
        names = ctl(self.node, "--json", "topics", **cert)
        self.assertEqual(names.returncode, 0, names.stderr)
        self.assertEqual([t["name"] for t in json.loads(names.stdout)["topics"]], ["both"])

    def test_without_a_certificate_the_handshake_refuses_even_reads(self):
        for args in (("status",), ("create-topic", "token-only")):
            r = ctl(self.node, *args, ca=self.certs.ca, token=TOKEN)
            self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
            self.assertIn("127.0.0.1:%d: the node's admin socket wants a client certificate "
                          "(admin.ssl.client.auth = required); pass --cert and --key" % self.node.admin_port, r.stderr)


    def test_the_dashboard_connects_with_its_certificate_and_says_why_without_one(self):
        with tempfile.TemporaryDirectory(prefix="skiff-dash-tls-") as tmp:
            exported = os.path.join(tmp, "out.json")
            address = "127.0.0.1:%d" % self.node.admin_port
            r = dashboard("--connect", address, "--no-discover", "--ca", self.certs.ca, "--cert", self.admin_cert,
                          "--key", self.admin_key, "--export-json", exported)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(exported) as f:
                node = json.load(f)["nodes"][0]
            self.assertEqual((node["connection"], node["node_id"]), ("connected", 1), node)
            # Without a certificate the node refuses the connection; the dashboard gives its words.
            r = dashboard("--connect", address, "--no-discover", "--ca", self.certs.ca, "--export-json", exported)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(exported) as f:
                node = json.load(f)["nodes"][0]
            self.assertEqual(node["connection"], "unreachable", node)
            self.assertIn("wants a client certificate (admin.ssl.client.auth = required)", node["error"])


class TokenOrCertificateTest(AdminTlsNode):
    """Certificates requested; a mutation needs the token or a certificate (any of the CA's)."""
    ARGS = ["--admin-ssl-client-auth", "requested", "--admin-mutation-auth", "token-or-certificate",
            "--admin-token", TOKEN]

    def test_either_is_enough(self):
        r = self.create_topic("neither", ca=self.certs.ca)
        self.assertRefused(r, "create_topic needs the node's admin.token or a client certificate "
                              "(admin.mutation.auth = token-or-certificate;")
        r = self.create_topic("wrong-token", ca=self.certs.ca, token="not-" + TOKEN)
        self.assertRefused(r, "needs the node's admin.token or a client certificate")
        self.assertEqual(self.create_topic("by-token", ca=self.certs.ca, token=TOKEN).returncode, 0)
        r = self.create_topic("by-cert", ca=self.certs.ca, cert=self.certs.client_cert, key=self.certs.client_key)
        self.assertEqual(r.returncode, 0, r.stderr)
        # The files from the environment, as the token's $SKIFF_ADMIN_TOKEN.
        r = ctl(self.node, "create-topic", "by-env", env={"SKIFF_ADMIN_CA": self.certs.ca,
                                                          "SKIFF_ADMIN_CERT": self.admin_cert,
                                                          "SKIFF_ADMIN_KEY": self.admin_key})
        self.assertEqual(r.returncode, 0, r.stderr)
        names = topic_names(self.node, self.certs)
        for admitted in ("by-cert", "by-env", "by-token"):
            self.assertIn(admitted, names)
        for refused in ("neither", "wrong-token"):
            self.assertNotIn(refused, names)

    def test_an_encrypted_key_takes_its_passphrase_from_the_environment(self):
        locked = dict(ca=self.certs.ca, cert=self.certs.locked_cert, key=self.certs.locked_key)
        r = self.create_topic("locked", **locked)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("is encrypted: give its passphrase ($SKIFF_ADMIN_KEY_PASSWORD)", r.stderr)
        r = self.create_topic("locked", env={"SKIFF_ADMIN_KEY_PASSWORD": "s3cret"}, **locked)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("locked", topic_names(self.node, self.certs))
        r = ctl(self.node, "--key-password", "s3cret", "status", **locked)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn("$SKIFF_ADMIN_KEY_PASSWORD only", r.stderr)


class PlaintextAdminTest(unittest.TestCase):
    """admin.ssl.enable off (the default): a TLS skiffctl is told it met plaintext, and the node
    goes on serving plaintext clients."""

    def test_tls_skiffctl_on_a_plaintext_admin_socket(self):
        certs = Certificates()
        try:
            with SkiffNode(extra_args=certs.node_args()) as node:
                r = ctl(node, "status", ca=certs.ca)
                self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
                self.assertIn("127.0.0.1:%d: the node closed the connection in the TLS handshake: its admin socket "
                              "speaks plaintext?" % node.admin_port, r.stderr)
                self.assertEqual(r.stderr.count("\n"), 1, r.stderr)
                poll("the node's line", lambda: "it began a TLS handshake, but this admin socket speaks plaintext"
                     in node.log())
                r = ctl(node, "--json", "status")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertEqual(node_id(r.stdout), 1)
        finally:
            certs.close()


class AdminTlsReloadTest(unittest.TestCase):
    """The admin socket takes renewed certificate files with the Kafka listeners: on SIGHUP and on a
    change of the files, a bad file keeping the one in use."""

    def test_renewed_files_are_served_on_sighup_and_on_change(self):
        c = Certificates()
        self.addCleanup(c.close)
        live_cert, live_key = c.dir.file("live.pem"), c.dir.file("live.key")
        shutil.copy(c.node_cert, live_cert)
        shutil.copy(c.node_key, live_key)
        with SkiffNode(extra_args=c.node_args(cert=live_cert, key=live_key) + ["--admin-ssl-enable", "true"]) as node:
            self.assertIn("CN = node", served_certificate_subject(node.admin_port))
            renewed_cert, renewed_key = c.dir.make_cert("renewed", "ca")
            shutil.copy(renewed_cert, live_cert)
            shutil.copy(renewed_key, live_key)
            node.proc.send_signal(signal.SIGHUP)
            poll("the renewed certificate on the admin socket",
                 lambda: "CN = renewed" in served_certificate_subject(node.admin_port))
            r = ctl(node, "--json", "status", ca=c.ca)
            self.assertEqual(r.returncode, 0, r.stderr)
            # A bad file: the certificate in use stays, and skiffctl goes on.
            with open(live_cert, "w") as f:
                f.write("not a certificate\n")
            node.proc.send_signal(signal.SIGHUP)
            poll("the failed reload in the log", lambda: "the certificate in use stays" in node.log())
            self.assertIn("CN = renewed", served_certificate_subject(node.admin_port))
            self.assertEqual(ctl(node, "--json", "status", ca=c.ca).returncode, 0)
            # Files replaced by a rename, as deploy tools do, without a signal.
            again_cert, again_key = c.dir.make_cert("again", "ca")
            os.replace(again_key, live_key)
            os.replace(again_cert, live_cert)
            poll("the changed certificate on the admin socket",
                 lambda: "CN = again" in served_certificate_subject(node.admin_port))
            r = ctl(node, "--json", "status", ca=c.ca)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(node_id(r.stdout), 1)


if __name__ == "__main__":
    unittest.main()
