"""Per-listener TLS (issue #18): Kafka's listener.name.<listener>.ssl.* keys give one SSL listener
its own certificate, key and CA over the node-wide ssl.* ones. Two SSL listeners with
certificates of different CAs each serve their own (seen with openssl s_client and used by kcat
with the matching CA), a change of one listener's files is served by that listener alone, and a
bad file of one listener stops the start with one line naming it."""
import json
import os
import shutil
import signal
import unittest

from harness import SkiffNode, kcat, poll
from tls_certs import Certificates, served_certificate_subject


class ListenerTlsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.certs = Certificates()   # CA "ca" and its certificate CN=node: the node-wide files
        d = cls.certs.dir
        cls.public_ca = d.make_ca("publicca")
        # PUBLIC's files in a directory of their own, so that replacing them touches nothing the
        # node-wide context watches.
        cls.public_dir = d.file("public")
        os.makedirs(cls.public_dir)
        cert, key = d.make_cert("public", "publicca")
        cls.public_cert = os.path.join(cls.public_dir, "listener.pem")
        cls.public_key = os.path.join(cls.public_dir, "listener.key")
        shutil.copy(cert, cls.public_cert)
        shutil.copy(key, cls.public_key)

    @classmethod
    def tearDownClass(cls):
        cls.certs.close()

    def node(self, extra=()):
        return SkiffNode(listeners=[("SSL", "SSL"), ("PUBLIC", "SSL")], extra_args=self.certs.node_args() + [
            "--listener-name-public-ssl-certificate-location", self.public_cert,
            "--listener-name-public-ssl-key-location", self.public_key,
            "--listener-name-public-ssl-ca-location", self.public_ca] + list(extra))

    def kcat_lists_brokers(self, port, ca):
        r = kcat("-b", "127.0.0.1:%d" % port, "-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + ca, "-L", "-J")
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)["brokers"]

    def test_each_listener_serves_its_own_certificate_and_reloads_alone(self):
        with self.node().start() as node:
            ssl_port, public_port = node.listener_ports["SSL"], node.listener_ports["PUBLIC"]
            self.assertIn("CN = node", served_certificate_subject(ssl_port))
            self.assertIn("CN = public", served_certificate_subject(public_port))
            # Each is a working Kafka listener a client verifies with that listener's CA...
            self.assertEqual(self.kcat_lists_brokers(public_port, self.public_ca)[0]["name"], "127.0.0.1:%d" % public_port)
            self.assertEqual(self.kcat_lists_brokers(ssl_port, self.certs.ca)[0]["name"], "127.0.0.1:%d" % ssl_port)
            # ...and not with the other's.
            r = kcat("-b", "127.0.0.1:%d" % public_port, "-X", "security.protocol=ssl", "-X",
                     "ssl.ca.location=" + self.certs.ca, "-L", "-m", "5")
            self.assertNotEqual(r.returncode, 0, "PUBLIC's certificate verified against the node-wide CA")

            # PUBLIC's files replaced (renamed over, as deploy tools do): PUBLIC serves the new
            # certificate on its own, SSL keeps the node-wide one.
            renewed_cert, renewed_key = self.certs.dir.make_cert("public-renewed", "publicca")
            os.replace(renewed_key, self.public_key)
            os.replace(renewed_cert, self.public_cert)
            poll("PUBLIC serving its renewed certificate",
                 lambda: "CN = public-renewed" in served_certificate_subject(public_port))
            self.assertIn("CN = node", served_certificate_subject(ssl_port))
            self.assertIn("Kafka listener PUBLIC: TLS reload (a file changed): now using certificate CN=public-renewed",
                          node.log())

            # A bad file of PUBLIC on SIGHUP: one line naming the listener, its certificate stays;
            # the node-wide context reloads unchanged.
            with open(self.public_cert, "w") as f:
                f.write("not a certificate\n")
            node.proc.send_signal(signal.SIGHUP)
            poll("PUBLIC's failed reload in the log",
                 lambda: "Kafka listener PUBLIC: TLS reload (SIGHUP) failed, the certificate in use stays" in node.log())
            poll("the node-wide reload in the log",
                 lambda: "Kafka SSL listeners: TLS reload (SIGHUP): unchanged, certificate CN=node" in node.log())
            self.assertIn("CN = public-renewed", served_certificate_subject(public_port))
            self.assertIn("CN = node", served_certificate_subject(ssl_port))
            self.assertIsNone(node.proc.poll(), "SIGHUP stopped the node")

    def test_a_bad_file_of_one_listener_stops_the_start_naming_the_listener(self):
        node = SkiffNode(listeners=[("SSL", "SSL"), ("PUBLIC", "SSL")], extra_args=self.certs.node_args() + [
            "--listener-name-public-ssl-certificate-location", self.certs.dir.file("missing.pem")])
        try:
            node.start(wait=False)
            self.assertNotEqual(node.proc.wait(30), 0)
            log = node.log()
            self.assertIn("cannot serve listener PUBLIC: ssl.certificate.location %s: cannot read it"
                          % self.certs.dir.file("missing.pem"), log)
        finally:
            node.close()


if __name__ == "__main__":
    unittest.main()
