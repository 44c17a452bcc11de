"""Followers logging in with SASL (issue #18): three nodes whose inter-broker listener is SASL_SSL,
followers authenticating with SCRAM-SHA-512 as inter.broker.sasl.username. Started before the
user exists, followers are refused (one line naming the leader and why) and the ISR shrinks to
the leaders; once `skiffctl users set` makes the user, every follower catches up (ISR of 3 in
Metadata), an acks=all produce to a topic with min.insync.replicas 3 succeeds, and followers
re-authenticate within the session lifetime leaders give (connections.max.reauth.ms, KIP-368)
without being closed. With a wrong password the ISR stays the leader alone and each follower's
log says why, without the password. With PLAIN (the login given as Kafka's JAAS line) and
authorizer.enable, followers log in but leaders refuse their fetches until the broker user has
CLUSTER_ACTION on the cluster (Kafka's rule): each follower says so, naming the ACL to add, and once
`skiffctl acls add` grants it the ISR fills."""
import os
import re
import subprocess
import unittest

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
from harness import SkiffCluster, metric_sum, poll
from tls_certs import Certificates

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
USER = "skiff-broker"
PASSWORD = "broker-secret-7"
REFUSED = ("SASL SCRAM-SHA-512 authentication as user skiff-broker failed: SASL_AUTHENTICATION_FAILED: "
           "Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512")


def skiffctl(node, *args, input=None):
    return subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port] + list(args),
                          input=input, capture_output=True, text=True, timeout=60)


def isr_sizes(cluster, topic):
    """{partition: (leader, ISR size)} from Metadata through node 1's PLAINTEXT listener."""
    md = AdminClient({"bootstrap.servers": cluster.node(1).bootstrap}).list_topics(topic, timeout=10)
    t = md.topics.get(topic)
    if t is None or t.error is not None:
        return {}
    return {p.id: (p.leader, len(p.isrs)) for p in t.partitions.values()}


class InterBrokerSaslTest(unittest.TestCase):
    PARTITIONS = 3

    def wait_isr(self, cluster, size, what, timeout):
        """Every partition of ibs led, with an ISR of `size`."""
        poll(what, lambda: (lambda s: len(s) == self.PARTITIONS and all(n == size for _, n in s.values()))(
            isr_sizes(cluster, "ibs")), timeout=timeout)

    def produce_all_acked(self, cluster, count):
        """`count` records with acks=all, every one acknowledged (min.insync.replicas 3: only once
        both followers of its partition fetched it)."""
        p = Producer({"bootstrap.servers": cluster.node(1).bootstrap, "acks": "all", "message.timeout.ms": 60000})
        failures = []
        for i in range(count):
            p.produce("ibs", value=b"m%d" % i, on_delivery=lambda err, msg: err and failures.append(err))
        self.assertEqual(p.flush(90), 0)
        self.assertEqual(failures, [])
        return p

    def start_cluster(self, password, mechanism="SCRAM-SHA-512", extra=(), login=None):
        """`login`: the followers' login as flags (default: inter.broker.sasl.username and password)."""
        self.certs = Certificates()
        self.addCleanup(self.certs.close)
        login = login if login is not None else ["--inter-broker-sasl-username", USER, "--inter-broker-sasl-password", password]
        args = self.certs.node_args() + list(extra) + login + [
            "--inter-broker-listener-name", "INTERNAL",
            "--sasl-mechanism-inter-broker-protocol", mechanism,
            # Leaders end follower sessions every 3 s: followers must log in again on the connection.
            "--connections-max-reauth-ms", "3000",
            # Refused followers leave the ISR within 2 s.
            "--replica-lag-time-max-ms", "2000"]
        cluster = SkiffCluster.started(3, extra_args=args, listeners=[("INTERNAL", "SASL_SSL")])
        self.addCleanup(cluster.close)
        admin = AdminClient({"bootstrap.servers": cluster.node(1).bootstrap})
        admin.create_topics([NewTopic("ibs", self.PARTITIONS, 3, config={"min.insync.replicas": "3"})])["ibs"].result(30)
        return cluster

    def test_followers_log_in_once_the_user_exists_and_keep_the_isr_full(self):
        cluster = self.start_cluster(PASSWORD)
        # Before the user exists: refused, said once per leader in the follower's log, and the
        # leaders alone in the ISR.
        poll("a follower refused before the user exists",
             lambda: any(REFUSED in n.log() for n in cluster.nodes), timeout=60)
        self.wait_isr(cluster, 1, "the ISR shrunk to the leaders", timeout=60)

        r = skiffctl(cluster.node(2), "users", "set", USER, input=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.wait_isr(cluster, 3, "every follower in the ISR", timeout=90)

        # Over SASL_SSL: both followers of each partition fetched every record.
        p = self.produce_all_acked(cluster, 300)

        # Sessions of 3 s: two more rounds of logins on every node, and none of them a reconnect
        # after a leader closed an expired session.
        logins = lambda: metric_sum(cluster.nodes, "skiff_kafka_sasl_authentications_total", result="success")
        accepted = lambda: metric_sum(cluster.nodes, "skiff_kafka_connections_accepted_total")
        start, connections = logins(), accepted()
        poll("followers re-authenticating", lambda: logins() >= start + 12, timeout=60)
        # On the connections they had: logging in again, not reconnecting.
        self.assertEqual(accepted(), connections)
        for n in cluster.nodes:
            self.assertNotIn("expired (connections.max.reauth.ms", n.log())
            self.assertNotIn(PASSWORD, n.log())
        # Still in sync, acks=all still served.
        self.assertTrue(all(size == 3 for _, size in isr_sizes(cluster, "ibs").values()))
        p.produce("ibs", value=b"after")
        self.assertEqual(p.flush(60), 0)

    def test_a_wrong_password_keeps_followers_out_of_the_isr_and_says_why(self):
        cluster = self.start_cluster("not-the-password")
        r = skiffctl(cluster.node(1), "users", "set", USER, input=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.wait_isr(cluster, 1, "the ISR shrunk to the leaders", timeout=60)
        # Every node follows two leaders: each follower says which leader refused it and why.
        for n in cluster.nodes:
            log = poll("node %d's refused login" % n.node_id, lambda: REFUSED in n.log() and n.log(), timeout=60)
            leaders = set(re.findall(r"replica fetcher for leader (\d+): fetch from leader broker \d+ at [0-9.:]+: "
                                     + re.escape(REFUSED), log))
            self.assertTrue(leaders and str(n.node_id) not in leaders, leaders)
            self.assertNotIn("not-the-password", log)
        # The refusals are rate-limited: one line per leader, then at most one per 10 s.
        poll("a refusal held back",
             lambda: metric_sum(cluster.nodes, "skiff_log_lines_suppressed_total", category="replica_fetch") > 0, timeout=60)

    def test_plain_followers_need_cluster_action_under_the_authorizer(self):
        # The test's own clients come in on PLAINTEXT as User:ANONYMOUS, which super.users names.
        # The login as a Kafka broker's file gives it: a JAAS line for the listener and mechanism.
        jaas = ('org.apache.kafka.common.security.plain.PlainLoginModule required username="%s" password="%s";'
                % (USER, PASSWORD))
        cluster = self.start_cluster(PASSWORD, mechanism="PLAIN", extra=[
            "--sasl-enabled-mechanisms", "PLAIN,SCRAM-SHA-512", "--authorizer-enable", "true",
            "--super-users", "User:ANONYMOUS"], login=["--listener-name-internal-plain-sasl-jaas-config", jaas])
        r = skiffctl(cluster.node(2), "users", "set", USER, input=PASSWORD + "\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        refused = ("the leader refuses to let User:skiff-broker replicate ibs (TOPIC_AUTHORIZATION_FAILED): it needs "
                   "CLUSTER_ACTION on the cluster (skiffctl acls add --principal User:skiff-broker --operation "
                   "CLUSTER_ACTION --cluster) or a place in super.users")
        # Logged in (PLAIN checks the same store as SCRAM; a fetch is answered only after a login),
        # then refused at Fetch: every node follows two leaders and says so; the ISR is the leaders alone.
        for n in cluster.nodes:
            poll("node %d's refused fetch" % n.node_id, lambda: refused in n.log(), timeout=60)
        self.wait_isr(cluster, 1, "the ISR shrunk to the leaders", timeout=60)
        self.assertGreater(metric_sum(cluster.nodes, "skiff_kafka_sasl_authentications_total", result="success"), 0)

        r = skiffctl(cluster.node(3), "acls", "add", "--principal", "User:" + USER, "--operation", "CLUSTER_ACTION",
                     "--cluster")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.wait_isr(cluster, 3, "every follower in the ISR", timeout=90)
        self.produce_all_acked(cluster, 100)
        for n in cluster.nodes:
            self.assertNotIn(PASSWORD, n.log())


if __name__ == "__main__":
    unittest.main()
