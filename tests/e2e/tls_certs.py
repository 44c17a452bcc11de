"""Certificates for TLS tests, made at test time with the openssl command line: a CA, node and
client certificates it signs, and the ones that must be refused (another CA's, an expired one,
an encrypted key)."""
import os
import subprocess
import tempfile
import unittest

from harness import SkiffNode


def _openssl(*args, cwd):
    r = subprocess.run(["openssl"] + list(args), cwd=cwd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (" ".join(args), r.stderr))


class CertDir:
    """Files in `path`: <name>.pem and <name>.key for every certificate made."""

    def __init__(self, path):
        self.path = path
        self._serial = 1

    def file(self, name):
        return os.path.join(self.path, name)

    def make_ca(self, name):
        _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".pem",
                 "-days", "2", "-subj", "/CN=" + name, cwd=self.path)
        return self.file(name + ".pem")

    def make_cert(self, name, ca, days=2, password=None, server=True, names="IP:127.0.0.1,DNS:localhost"):
        """A certificate for CN=name signed by `ca` (valid for `days`; negative: expired). Returns
        (certificate path, key path). password: the key is written encrypted with it. A server
        certificate is made out for `names` (subjectAltName entries); a client one for no host."""
        key_args = ["-nodes"] if password is None else ["-passout", "pass:" + password]
        _openssl("req", "-newkey", "rsa:2048", *key_args, "-keyout", name + ".key", "-out", name + ".csr",
                 "-subj", "/CN=" + name, cwd=self.path)
        ext = self.file(name + ".ext")
        with open(ext, "w") as f:
            f.write("subjectAltName=%s\n" % names if server else "extendedKeyUsage=clientAuth\n")
        self._serial += 1
        _openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
                 "-set_serial", str(self._serial), "-out", name + ".pem", "-days", str(days), "-extfile", ext,
                 cwd=self.path)
        return self.file(name + ".pem"), self.file(name + ".key")


def served_certificate_subject(port):
    """The subject of the certificate the TLS server on 127.0.0.1:port presents."""
    r = subprocess.run(["openssl", "s_client", "-connect", "127.0.0.1:%d" % port, "-servername", "localhost"],
                       input="", capture_output=True, text=True, timeout=30)
    pem = r.stdout[r.stdout.find("-----BEGIN CERTIFICATE-----"):r.stdout.find("-----END CERTIFICATE-----") + 25]
    if not pem.startswith("-----BEGIN"):
        raise AssertionError("no certificate from 127.0.0.1:%d: %s" % (port, r.stdout + r.stderr))
    x = subprocess.run(["openssl", "x509", "-noout", "-subject"], input=pem, capture_output=True, text=True)
    return x.stdout.strip()


class Certificates:
    """One CA and the certificates the tests use, in a temporary directory."""

    def __init__(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="skiff-tls-")
        d = CertDir(self.tmp.name)
        self.dir = d
        self.ca = d.make_ca("ca")
        self.node_cert, self.node_key = d.make_cert("node", "ca")
        self.client_cert, self.client_key = d.make_cert("client", "ca", server=False)
        d.make_ca("otherca")
        self.stranger_cert, self.stranger_key = d.make_cert("stranger", "otherca", server=False)
        self.expired_cert, self.expired_key = d.make_cert("expired", "ca", days=-1)
        self.locked_cert, self.locked_key = d.make_cert("locked", "ca", password="s3cret")

    def node_args(self, client_auth="none", cert=None, key=None):
        return ["--ssl-certificate-location", cert or self.node_cert, "--ssl-key-location", key or self.node_key,
                "--ssl-ca-location", self.ca, "--ssl-client-auth", client_auth]

    def close(self):
        self.tmp.cleanup()


class NodeWithCertificates(unittest.TestCase):
    """A class of tests sharing one node, started with the class's own Certificates: node_options()
    gives SkiffNode's keyword arguments for them. Both are gone after the class, also when the node
    does not start."""

    @classmethod
    def node_options(cls, certs):
        raise NotImplementedError

    @classmethod
    def setUpClass(cls):
        cls.certs = Certificates()
        try:
            cls.node = SkiffNode(**cls.node_options(cls.certs))
        except BaseException:
            cls.certs.close()
            raise
        try:
            cls.node.start()
        except BaseException:
            cls.node.close()
            cls.certs.close()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.node.close()
        cls.certs.close()
