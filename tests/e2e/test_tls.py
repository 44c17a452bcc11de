"""TLS on Kafka listeners (issue #18): named listeners beside PLAINTEXT, real clients over SSL
(kcat, confluent-kafka, kafka-python), client certificates (mTLS), what is refused and how, and
certificates reloaded without a restart. Certificates are made here with the openssl CLI."""
import json
import os
import shutil
import signal
import socket
import struct
import tempfile
import unittest

import kafka_wire as kw
from confluent_kafka import Consumer, Producer
from confluent_kafka.admin import AdminClient, NewTopic
from harness import SkiffCluster, SkiffNode, closed_by_peer, kcat, poll, poll_values, run_skiffd
from tls_certs import Certificates, NodeWithCertificates, served_certificate_subject


class SslNodeTest(NodeWithCertificates):
    """A class of tests sharing one node with PLAINTEXT (inter-broker) and SSL listeners."""
    CLIENT_AUTH = "none"
    EXTRA_ARGS = []

    @classmethod
    def node_options(cls, certs):
        return {"listeners": [("SSL", "SSL")], "extra_args": certs.node_args(cls.CLIENT_AUTH) + cls.EXTRA_ARGS}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ssl_bootstrap = "127.0.0.1:%d" % cls.node.listener_ports["SSL"]


class TlsListenerTest(SslNodeTest):
    """Client certificates requested: checked when sent."""
    CLIENT_AUTH = "requested"
    EXTRA_ARGS = ["--ssl-handshake-timeout-ms", "1000"]

    def kcat_ssl(self, *args, cert=None, key=None, bootstrap=None, **kw):
        tls = ["-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + self.certs.ca]
        if cert:
            tls += ["-X", "ssl.certificate.location=" + cert, "-X", "ssl.key.location=" + key]
        return kcat("-b", bootstrap or self.ssl_bootstrap, *tls, *args, **kw)

    def test_metadata_names_the_listener_the_client_came_in_on(self):
        r = self.kcat_ssl("-L", "-J")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([b["name"] for b in json.loads(r.stdout)["brokers"]], [self.ssl_bootstrap])
        r = kcat("-b", self.node.bootstrap, "-L", "-J")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual([b["name"] for b in json.loads(r.stdout)["brokers"]], [self.node.bootstrap])

    def test_kcat_produces_and_consumes_over_ssl_with_and_without_a_client_certificate(self):
        lines = "".join("k%d:value %d\n" % (i % 5, i) for i in range(500)).encode()
        r = self.kcat_ssl("-t", "tls-kcat", "-P", "-K:", input=lines)
        self.assertEqual(r.returncode, 0, r.stderr)
        r = self.kcat_ssl("-t", "tls-kcat", "-C", "-e", "-f", "%k:%s:%o\n",
                          cert=self.certs.client_cert, key=self.certs.client_key)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.decode().splitlines(), ["k%d:value %d:%d" % (i % 5, i, i) for i in range(500)])
        # What went in over TLS is what a plaintext client reads.
        r = kcat("-b", self.node.bootstrap, "-t", "tls-kcat", "-C", "-e", "-c", "3", "-f", "%s\n")
        self.assertEqual(r.stdout.decode().split("\n")[:3], ["value 0", "value 1", "value 2"])

    def test_confluent_kafka_group_over_ssl_finds_its_coordinator_on_the_ssl_listener(self):
        conf = {"bootstrap.servers": self.ssl_bootstrap, "security.protocol": "SSL", "ssl.ca.location": self.certs.ca}
        admin = AdminClient(conf)
        admin.create_topics([NewTopic("tls-group", 3, 1)])["tls-group"].result(30)
        p = Producer(dict(conf, acks="all", **{"enable.idempotence": True}))
        for i in range(300):
            p.produce("tls-group", key=b"%d" % i, value=b"v%d" % i)
        self.assertEqual(p.flush(60), 0)
        c = Consumer(dict(conf, **{"group.id": "tls-readers", "auto.offset.reset": "earliest", "enable.auto.commit": False}))
        c.subscribe(["tls-group"])
        got = poll_values(c, 300)
        c.commit(asynchronous=False)
        committed = c.committed([c.assignment()[0]], timeout=30)
        c.close()
        self.assertEqual(sorted(got), sorted(b"v%d" % i for i in range(300)))
        self.assertGreaterEqual(committed[0].offset, 0)

    def test_kafka_python_over_ssl(self):
        from kafka import KafkaConsumer, KafkaProducer
        conf = dict(bootstrap_servers=self.ssl_bootstrap, security_protocol="SSL", ssl_cafile=self.certs.ca,
                    ssl_certfile=self.certs.client_cert, ssl_keyfile=self.certs.client_key)
        p = KafkaProducer(acks="all", **conf)
        for i in range(50):
            p.send("tls-kafka-python", b"kp%d" % i)
        p.flush(30)
        p.close()
        c = KafkaConsumer("tls-kafka-python", auto_offset_reset="earliest", consumer_timeout_ms=10000, **conf)
        got = [m.value for m in c]
        c.close()
        self.assertEqual(got, [b"kp%d" % i for i in range(50)])

    def test_a_client_certificate_from_another_ca_is_refused(self):
        r = self.kcat_ssl("-L", "-m", "5", cert=self.certs.stranger_cert, key=self.certs.stranger_key, timeout=60)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        poll("the refusal in the log", lambda: "TLS handshake failed: the client certificate is refused" in self.node.log())

    def test_a_plaintext_client_on_the_ssl_port_is_closed(self):
        with socket.create_connection(("127.0.0.1", self.node.listener_ports["SSL"])) as s:
            s.sendall(kw.frame(18, 0, b"", client=None))   # ApiVersions v0
            self.assertIsNotNone(closed_by_peer(s), "the node kept a plaintext client on its SSL port")
        poll("the reason in the log", lambda: "TLS handshake failed" in self.node.log())

    def test_a_stalled_handshake_is_closed_and_others_are_served_meanwhile(self):
        with socket.create_connection(("127.0.0.1", self.node.listener_ports["SSL"])) as s:
            r = self.kcat_ssl("-L", "-J")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIsNotNone(closed_by_peer(s), "a connection that never began its handshake stayed open")
        poll("the reason in the log", lambda: "its TLS handshake is not done" in self.node.log())

    def test_an_ssl_client_on_the_plaintext_port_fails_and_the_node_serves_on(self):
        r = self.kcat_ssl("-L", "-m", "5", bootstrap=self.node.bootstrap, timeout=60)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        r = kcat("-b", self.node.bootstrap, "-L", "-J")
        self.assertEqual(r.returncode, 0, r.stderr)


class MutualTlsTest(SslNodeTest):
    """ssl.client.auth = required: no certificate, no connection."""
    CLIENT_AUTH = "required"

    def test_with_a_client_certificate_produce_and_consume(self):
        tls = ["-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + self.certs.ca,
               "-X", "ssl.certificate.location=" + self.certs.client_cert, "-X", "ssl.key.location=" + self.certs.client_key]
        r = kcat("-b", self.ssl_bootstrap, *tls, "-t", "mtls", "-P", input=b"one\ntwo\n")
        self.assertEqual(r.returncode, 0, r.stderr)
        r = kcat("-b", self.ssl_bootstrap, *tls, "-t", "mtls", "-C", "-e")
        self.assertEqual(r.stdout.decode().split(), ["one", "two"])

    def test_without_a_client_certificate_nothing_is_served(self):
        r = kcat("-b", self.ssl_bootstrap, "-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + self.certs.ca,
                 "-L", "-m", "5", timeout=60)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        self.assertNotIn(b"broker", r.stdout.lower())
        poll("the refusal in the log", lambda: "TLS handshake failed" in self.node.log())


class TlsFilesTest(unittest.TestCase):
    """Bad files stop the start with one line; good ones are reloaded without a restart."""

    @classmethod
    def setUpClass(cls):
        cls.certs = Certificates()

    @classmethod
    def tearDownClass(cls):
        cls.certs.close()

    def refused_start(self, cert, key, extra=()):
        node = SkiffNode(listeners=[("SSL", "SSL")], extra_args=self.certs.node_args(cert=cert, key=key) + list(extra))
        try:
            node.start(wait=False)
            self.assertNotEqual(node.proc.wait(30), 0)
            return node.log()
        finally:
            node.close()

    def test_missing_expired_mismatched_and_locked_files_are_one_clear_line(self):
        c = self.certs
        log = self.refused_start(c.dir.file("nope.pem"), c.node_key)
        self.assertIn("ssl.certificate.location " + c.dir.file("nope.pem") + ": cannot read it", log)
        log = self.refused_start(c.expired_cert, c.expired_key)
        self.assertIn("the certificate expired at", log)
        log = self.refused_start(c.node_cert, c.client_key)
        self.assertIn("the key does not belong to the certificate", log)
        log = self.refused_start(c.locked_cert, c.locked_key)
        self.assertIn("(encrypted? set ssl.key.password)", log)
        log = self.refused_start(c.locked_cert, c.locked_key, ["--ssl-key-password", "wrong"])
        self.assertIn("(wrong ssl.key.password?)", log)
        self.assertNotIn("wrong", log.replace("(wrong ssl.key.password?)", ""), "the password reached the log")

    def test_an_encrypted_key_with_its_password_serves(self):
        c = self.certs
        with SkiffNode(listeners=[("SSL", "SSL")],
                       extra_args=c.node_args(cert=c.locked_cert, key=c.locked_key) + ["--ssl-key-password", "s3cret"]) as node:
            self.assertIn("CN = locked", served_certificate_subject(node.listener_ports["SSL"]))
            self.assertNotIn("s3cret", node.log())

    def test_certificates_are_reloaded_on_sighup_and_on_change_and_a_bad_one_keeps_the_old(self):
        c = self.certs
        live_cert, live_key = c.dir.file("live.pem"), c.dir.file("live.key")
        shutil.copy(c.node_cert, live_cert)
        shutil.copy(c.node_key, live_key)
        with SkiffNode(listeners=[("SSL", "SSL")], extra_args=c.node_args(cert=live_cert, key=live_key)) as node:
            port = node.listener_ports["SSL"]
            self.assertIn("CN = node", served_certificate_subject(port))
            renewed_cert, renewed_key = c.dir.make_cert("renewed", "ca")
            # On SIGHUP (what `systemctl reload skiffd` sends).
            shutil.copy(renewed_cert, live_cert)
            shutil.copy(renewed_key, live_key)
            node.proc.send_signal(signal.SIGHUP)
            poll("the renewed certificate served", lambda: "CN = renewed" in served_certificate_subject(port))
            self.assertIsNone(node.proc.poll(), "SIGHUP stopped the node")
            # A bad file: one line, and the certificate in use stays.
            with open(live_cert, "w") as f:
                f.write("not a certificate\n")
            node.proc.send_signal(signal.SIGHUP)
            poll("the failed reload in the log", lambda: "TLS reload (SIGHUP) failed, the certificate in use stays" in node.log())
            self.assertIn("CN = renewed", served_certificate_subject(port))
            # On a change of the files alone, replaced by a rename as deploy tools do.
            again_cert, again_key = c.dir.make_cert("again", "ca")
            os.replace(again_key, live_key)
            os.replace(again_cert, live_cert)
            poll("the changed certificate served", lambda: "CN = again" in served_certificate_subject(port))
            r = kcat("-b", "127.0.0.1:%d" % port, "-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + c.ca, "-L", "-J")
            self.assertEqual(r.returncode, 0, r.stderr)


class TlsClusterTest(unittest.TestCase):
    """Three nodes, each with PLAINTEXT (replication) and SSL: clients on SSL see every broker at
    its SSL address, and a replication-factor-3 topic written over TLS reads back over TLS."""

    def test_three_nodes_replicate_and_answer_with_ssl_addresses(self):
        certs = Certificates()
        try:
            with SkiffCluster.started(3, extra_args=certs.node_args(), listeners=[("SSL", "SSL")]) as cluster:
                ssl_addresses = sorted("127.0.0.1:%d" % n.listener_ports["SSL"] for n in cluster.nodes)
                tls = ["-X", "security.protocol=ssl", "-X", "ssl.ca.location=" + certs.ca]
                boot = ssl_addresses[0]

                def brokers():
                    r = kcat("-b", boot, *tls, "-L", "-J")
                    return sorted(b["name"] for b in json.loads(r.stdout)["brokers"]) if r.returncode == 0 else []
                poll("three brokers at their SSL addresses", lambda: brokers() == ssl_addresses)
                conf = {"bootstrap.servers": boot, "security.protocol": "SSL", "ssl.ca.location": certs.ca}
                admin = AdminClient(conf)
                admin.create_topics([NewTopic("tls-rf3", 3, 3)])["tls-rf3"].result(30)
                p = Producer(dict(conf, acks="all"))
                for i in range(200):
                    p.produce("tls-rf3", value=b"r%d" % i)
                self.assertEqual(p.flush(60), 0)
                c = Consumer(dict(conf, **{"group.id": "tls-rf3", "auto.offset.reset": "earliest"}))
                c.subscribe(["tls-rf3"])
                got = poll_values(c, 200)
                c.close()
                self.assertEqual(sorted(got), sorted(b"r%d" % i for i in range(200)))
        finally:
            certs.close()


class InterBrokerTlsTest(unittest.TestCase):
    """Followers fetch from the SSL listener (inter.broker.listener.name = SSL), which requires
    client certificates: each node presents its own and checks its leader's."""

    def test_acks_all_with_every_replica_in_sync_over_tls(self):
        certs = Certificates()
        try:
            args = certs.node_args("required") + ["--inter-broker-listener-name", "SSL"]
            with SkiffCluster.started(3, extra_args=args, listeners=[("SSL", "SSL")]) as cluster:
                conf = {"bootstrap.servers": cluster.node(1).bootstrap}
                admin = AdminClient(conf)
                # min.insync.replicas 3: nothing is acknowledged unless both followers fetched it.
                admin.create_topics([NewTopic("tls-isr", 2, 3, config={"min.insync.replicas": "3"})])["tls-isr"].result(30)
                p = Producer(dict(conf, acks="all", **{"message.timeout.ms": 60000}))
                failures = []
                for i in range(300):
                    p.produce("tls-isr", value=b"i%d" % i, on_delivery=lambda err, msg: err and failures.append(err))
                self.assertEqual(p.flush(90), 0)
                self.assertEqual(failures, [])
                for n in cluster.nodes:
                    self.assertNotIn("certificate is refused", n.log())
        finally:
            certs.close()



class RaftTlsTest(unittest.TestCase):
    """raft.ssl.enable: the metadata quorum's peer links under mutual TLS. Nodes whose
    certificates chain to the CA and name their raft host form a cluster; a certificate made out
    for another host, and a plaintext peer, are refused with a line naming why."""

    @classmethod
    def setUpClass(cls):
        cls.certs = Certificates()
        cls.elsewhere_cert, cls.elsewhere_key = cls.certs.dir.make_cert("elsewhere", "ca", names="DNS:elsewhere.example")

    @classmethod
    def tearDownClass(cls):
        cls.certs.close()

    def tls_args(self, cert=None, key=None):
        return self.certs.node_args(cert=cert, key=key) + ["--raft-ssl-enable", "true"]

    @staticmethod
    def raft_port_closes_plaintext(node):
        """A plaintext Hello-sized frame to the node's raft port is not answered: the link is
        closed (the TLS handshake fails)."""
        with socket.create_connection(("127.0.0.1", node.raft_port), timeout=10) as s:
            s.sendall(struct.pack(">I", 8) + b"\x00" * 8)
            return closed_by_peer(s) is not None

    def test_three_nodes_form_a_quorum_over_mutual_tls(self):
        with SkiffCluster.started(3, extra_args=self.tls_args()) as cluster:
            leader = cluster.leader()
            self.assertIsNotNone(leader)
            # Cluster-wide writes go through the TLS links: a topic created on one node is in
            # every node's applied state.
            admin = AdminClient({"bootstrap.servers": cluster.node(1).bootstrap})
            admin.create_topics([NewTopic("raft-tls", 3, 3)])["raft-tls"].result(30)
            for n in cluster.nodes:
                poll("node %d sees raft-tls" % n.node_id,
                     lambda n=n: "raft-tls" in AdminClient({"bootstrap.servers": n.bootstrap}).list_topics(timeout=10).topics)
            p = Producer({"bootstrap.servers": cluster.node(1).bootstrap, "acks": "all"})
            for i in range(50):
                p.produce("raft-tls", value=b"t%d" % i)
            self.assertEqual(p.flush(60), 0)
            self.assertTrue(self.raft_port_closes_plaintext(cluster.node(leader)))
            poll("the plaintext probe logged as a failed TLS handshake",
                 lambda: "TLS handshake failed" in cluster.node(leader).log())
            for n in cluster.nodes:
                self.assertNotIn("is refused", n.log())

    def test_a_certificate_for_another_host_and_a_plaintext_peer_are_refused(self):
        cluster = SkiffCluster(3, extra_args=self.tls_args())
        try:
            # Node 2 presents a certificate of the right CA made out for another host; node 3
            # has TLS off. Neither can join node 1: no quorum forms, and the logs say why.
            n2, n3 = cluster.node(2), cluster.node(3)
            n2.extra_args = ["--peers", cluster.peers] + self.tls_args(self.elsewhere_cert, self.elsewhere_key)
            n3.extra_args = ["--peers", cluster.peers]
            cluster.start(wait=False)
            n1 = cluster.node(1)
            poll("node 1 refuses node 2's certificate",
                 lambda: "node 2 at 127.0.0.1" in n1.log() and "(CN=elsewhere) is not made out for 127.0.0.1" in n1.log())
            poll("node 2 refuses nothing of node 1 but is refused by it",
                 lambda: "refused" in n2.log())
            poll("node 1 fails the TLS handshake with plaintext node 3", lambda: "TLS handshake failed" in n1.log())
            self.assertIsNone(cluster.leader(among=[n1]))
            for n in cluster.nodes:
                self.assertIsNone(n.proc.poll(), "node %d exited:\n%s" % (n.node_id, n.log()))
        finally:
            cluster.close()

    def test_raft_tls_without_a_ca_stops_the_start_with_one_line(self):
        c = self.certs
        with tempfile.TemporaryDirectory(prefix="skiff-raft-tls-") as data:
            r = run_skiffd(["--node-id", "1", "--data-dir", data, "--ssl-certificate-location", c.node_cert,
                            "--ssl-key-location", c.node_key, "--raft-ssl-enable", "true"])
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("raft.ssl.enable: peer links need ssl.certificate.location, ssl.key.location and ssl.ca.location",
                      r.stderr)


if __name__ == "__main__":
    unittest.main()
