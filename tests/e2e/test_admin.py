"""The admin socket and skiffctl against real skiffd processes: a 3-node cluster seen alike from
every node, leadership transfer, a 4th node joining and being removed, token enforcement, and
the single-node commands an operator uses. Every port is free; every process is stopped here."""
import json
import os
import socket
import struct
import subprocess
import time
import unittest

from harness import SkiffCluster, SkiffNode, free_port, http_get, poll

SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
TOKEN = "e2e-admin-token"
JOIN_TOKEN = "e2e-join-token"


def skiffctl(*args, timeout=60):
    return subprocess.run([SKIFFCTL] + list(args), capture_output=True, text=True, timeout=timeout)


def admin_of(*nodes):
    return ",".join("127.0.0.1:%d" % n.admin_port for n in nodes)


def status_json(admins):
    r = skiffctl("--admin", admins, "--json", "status")
    return r.returncode, (json.loads(r.stdout) if r.stdout.strip() else None), r.stderr


class AdminClusterTest(unittest.TestCase):
    def test_status_transfer_join_remove_and_token(self):
        with SkiffCluster(3, extra_args=["--admin-token", TOKEN, "--cluster-join-token", JOIN_TOKEN]) as cluster:
            admins = admin_of(*cluster.nodes)
            leader = cluster.wait_leader()

            def agreed():
                code, out, _ = status_json(admins)
                return out if code == 0 and out["agree"] else None
            out = poll("agreement on leader and term", agreed)
            statuses = [n["status"] for n in out["nodes"]]
            self.assertEqual(sorted(s["node_id"] for s in statuses), [1, 2, 3])
            self.assertEqual(set(s["leader_id"] for s in statuses), {leader})
            self.assertEqual(len(set(s["term"] for s in statuses)), 1)
            for s in statuses:
                self.assertEqual(s["cluster_id"], "skiff-local")
                self.assertEqual(sorted(s["voters"]), [1, 2, 3])
                self.assertEqual(s["startup_state"], "ready")
                self.assertTrue(s["ready"], s)
                self.assertEqual(sorted(b["id"] for b in s["brokers"]), [1, 2, 3])
                self.assertRegex(s["build"]["git_hash"], r"^([0-9a-f]+(-dirty)?|unknown)$")
                self.assertTrue(s["wal_fsync_measured"])
                self.assertGreater(s["wal_fsync_micros"]["count"], 0)
                self.assertTrue(s["kafka_requests_measured"])
                self.assertGreater(s["ready_loop_interval_micros"]["count"], 0)
            human = skiffctl("--admin", admins, "status")
            self.assertEqual(human.returncode, 0, human.stderr)
            for n in cluster.nodes:
                self.assertIn("127.0.0.1:%d" % n.admin_port, human.stdout)

            # The leader's raft view: every peer replicating, links up.
            r = skiffctl("--admin", admin_of(cluster.node(1)), "--json", "raft")
            self.assertEqual(r.returncode, 0, r.stderr)
            raft = json.loads(r.stdout)
            self.assertEqual(raft["role"], "leader", "skiffctl raft follows the leader's admin address")
            self.assertEqual(sorted(p["id"] for p in raft["peers"]), [1, 2, 3])

            # Mutations without the right token are refused, and the node says who asked.
            target = next(n.node_id for n in cluster.nodes if n.node_id != leader)
            follower = cluster.node(target)
            for token_args in ([], ["--token", "wrong"]):
                r = skiffctl("--admin", admin_of(follower), *token_args, "transfer-leader", "--to", str(target))
                self.assertEqual(r.returncode, 4, r.stdout + r.stderr)
                self.assertIn("admin.token", r.stderr)
                self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
            self.assertRegex(follower.log(), r"refused transfer_leader from 127\.0\.0\.1:\d+: no admin token given")
            self.assertRegex(follower.log(), r"refused transfer_leader from 127\.0\.0\.1:\d+: wrong admin token")
            self.assertEqual(cluster.leader(), leader)

            # Leadership moves, asked through a follower (forwarded to the leader by Raft); a
            # watcher on another node sees the change as an event in its stream.
            watcher = subprocess.Popen([SKIFFCTL, "--admin", admin_of(cluster.node(leader)), "--json", "watch",
                                        "--rate", "20", "--count", "60"], stdout=subprocess.PIPE, text=True)
            try:
                time.sleep(0.5)
                r = skiffctl("--admin", admin_of(follower), "--token", TOKEN, "transfer-leader", "--to", str(target))
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("leadership transfer from node %d to node %d started" % (leader, target), r.stdout)
                self.assertEqual(cluster.wait_leader(timeout=10, not_=leader), target)
                out, _ = watcher.communicate(timeout=30)
            finally:
                if watcher.poll() is None:
                    watcher.kill()
                    watcher.wait()
            self.assertEqual(watcher.returncode, 0)
            events = [json.loads(line)["event"] for line in out.splitlines() if '"event"' in line]
            self.assertTrue(any(e["kind"] == "leader" and e["event_kind"] == "EVENT_KIND_LEADER"
                                and "leader is node %d" % target in e["text"] for e in events), events)
            self.assertTrue(all(e["node_id"] == leader for e in events), events)

            # A 4th node joins through node 1's raft address and is promoted to voter.
            n4 = SkiffNode(node_id=4, extra_args=["--join", "127.0.0.1:%d" % cluster.node(1).raft_port,
                                                  "--admin-token", TOKEN, "--cluster-join-token", JOIN_TOKEN])
            try:
                n4.start(wait=False)
                poll("node 4 ready", lambda: http_get(n4.http_port, "/ready")[0] == 200, timeout=60)

                def voters(node):
                    r = skiffctl("--admin", admin_of(node), "--json", "raft")
                    return sorted(json.loads(r.stdout)["voters"]) if r.returncode == 0 else None
                poll("node 4 as a voter", lambda: voters(cluster.node(1)) == [1, 2, 3, 4], timeout=30)
                r = skiffctl("--admin", admin_of(cluster.node(1)), "--json", "raft")
                peers = {p["id"]: p for p in json.loads(r.stdout)["peers"]}
                self.assertEqual(sorted(peers), [1, 2, 3, 4])
                self.assertFalse(peers[4]["learner"])
                code, out, err = status_json(admin_of(n4))
                self.assertEqual(code, 0, err)

                r = skiffctl("--admin", admin_of(cluster.node(1)), "--token", TOKEN, "remove-node", "4")
                self.assertEqual(r.returncode, 0, r.stderr)
                self.assertIn("node 4 removed from the cluster", r.stdout + r.stderr)
                # Answered once applied (not when proposed): the node that answered shows it already.
                self.assertEqual(voters(cluster.node(1)), [1, 2, 3])
                for n in cluster.nodes:
                    poll("voters back to 1,2,3 on node %d" % n.node_id,
                         lambda: sorted((cluster.status(n.node_id) or {}).get("voters", [])) == [1, 2, 3])
                poll("skiffctl raft voters 1,2,3", lambda: voters(cluster.node(2)) == [1, 2, 3])
            finally:
                n4.close()


def _pb_varint(n):
    out = b""
    while n >= 0x80:
        out += bytes([(n & 0x7F) | 0x80])
        n >>= 7
    return out + bytes([n])


def _pb_bytes(field, data):
    return _pb_varint(field << 3 | 2) + _pb_varint(len(data)) + data


def create_topic_frame(request_id, token, name):
    """An admin.proto Request (version 1) with CreateTopic{name}, framed; encoded by hand so the
    test speaks to the socket as any client could, one connection for many requests."""
    body = (_pb_varint(1 << 3) + _pb_varint(1) + _pb_varint(2 << 3) + _pb_varint(request_id)
            + _pb_bytes(3, token.encode()) + _pb_bytes(20, _pb_bytes(1, name.encode())))
    return struct.pack(">i", len(body)) + body


def read_admin_answer(sock):
    """(request_id, error_code) of the next Response frame on sock."""
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise AssertionError("the node closed the admin connection")
            data += chunk
        return data

    frame = exactly(struct.unpack(">i", exactly(4))[0])
    fields, pos = {}, 0
    while pos < len(frame):
        def varint():
            nonlocal pos
            value, shift = 0, 0
            while True:
                b = frame[pos]
                pos += 1
                value |= (b & 0x7F) << shift
                shift += 7
                if b < 0x80:
                    return value
        key = varint()
        if key & 7 == 0:
            fields[key >> 3] = varint()
        else:   # length-delimited: skipped
            length = varint()
            pos += length
    return fields.get(2, 0), fields.get(3, 0)


class AdminSingleNodeTest(unittest.TestCase):
    def test_wrong_tokens_on_one_connection_wait_longer_each_time_and_are_logged_once(self):
        # Once, 2,000 guesses took 0.01 s on one connection and each left a log line. Now the
        # k-th wrong token in a row is answered after min(100 ms * 2^(k-1), 5 s); the right one
        # still works at once; the log has the first refusal and, when the connection goes, a count.
        with SkiffNode(extra_args=["--admin-token", TOKEN]) as node, \
                socket.create_connection(("127.0.0.1", node.admin_port), timeout=30) as sock:
            start = time.monotonic()
            for i in range(1, 6):
                sock.sendall(create_topic_frame(i, "guess-%d" % i, "guarded"))
                self.assertEqual(read_admin_answer(sock), (i, 3))   # UNAUTHORIZED
            guessing = time.monotonic() - start
            self.assertGreaterEqual(guessing, 3.0, "0.1 + 0.2 + 0.4 + 0.8 + 1.6 s")
            start = time.monotonic()
            sock.sendall(create_topic_frame(6, TOKEN, "guarded"))
            self.assertEqual(read_admin_answer(sock), (6, 0))
            self.assertLess(time.monotonic() - start, guessing)
            sock.close()
            poll("the refusal count", lambda: "closed after 5 refused request(s)" in node.log())
            refusals = [line for line in node.log().splitlines() if "refused create_topic from" in line]
            self.assertEqual(len(refusals), 1, refusals)
            self.assertRegex(refusals[0], r"refused create_topic from 127\.0\.0\.1:\d+: wrong admin token")
            r = skiffctl("--admin", admin_of(node), "--json", "topics")
            self.assertEqual([t["name"] for t in json.loads(r.stdout)["topics"]], ["guarded"])

    def test_unreachable_node_is_one_line_and_exit_1(self):
        port = free_port()   # nothing listens there
        r = skiffctl("--admin", "127.0.0.1:%d" % port, "status")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(len(r.stderr.strip().splitlines()), 1, r.stderr)
        self.assertIn("cannot connect to the admin socket 127.0.0.1:%d" % port, r.stderr)
        r = skiffctl("--admin", "127.0.0.1:%d" % port, "brokers")
        self.assertEqual(r.returncode, 1)

    def test_admin_port_in_use_stops_the_node_naming_it(self):
        import socket
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen(1)
            node = SkiffNode()
            node.admin_port = taken.getsockname()[1]
            try:
                node.start(wait=False)
                self.assertEqual(node.proc.wait(timeout=30), 1, node.log())
                self.assertIn("cannot listen on admin.listen 127.0.0.1:%d" % node.admin_port, node.log())
            finally:
                node.close()

    def test_usage_errors_exit_2(self):
        self.assertEqual(skiffctl("frobnicate").returncode, 2)
        self.assertEqual(skiffctl("transfer-leader").returncode, 2)
        self.assertEqual(skiffctl("--rate", "50", "watch").returncode, 2)
        r = skiffctl("--help")
        self.assertEqual(r.returncode, 0)
        for word in ["status", "brokers", "topics", "raft", "locks", "watch", "transfer-leader", "add-node",
                     "remove-node", "create-topic", "delete-topic", "--json", "--token"]:
            self.assertIn(word, r.stdout)
        self.assertRegex(skiffctl("--version").stdout, r"^skiffctl \d+\.\d+\.\d+ \(git ")

    def test_two_separate_clusters_disagree_exit_3(self):
        with SkiffNode(node_id=1) as a, SkiffNode(node_id=2) as b:
            r = skiffctl("--admin", admin_of(a, b), "status")
            self.assertEqual(r.returncode, 3, r.stdout + r.stderr)
            self.assertIn("nodes disagree: node 1 sees leader 1 in term", r.stdout)
            self.assertIn("node 2 sees leader 2 in term", r.stdout)
            code, out, _ = status_json(admin_of(a, b))
            self.assertEqual(code, 3)
            self.assertFalse(out["agree"])

    def test_read_and_topic_commands_on_one_node(self):
        with SkiffNode() as node:
            admin = admin_of(node)
            r = skiffctl("--admin", admin, "--json", "brokers")
            self.assertEqual(r.returncode, 0, r.stderr)
            brokers = json.loads(r.stdout)
            self.assertEqual([b["port"] for b in brokers["brokers"]], [node.kafka_port])
            self.assertEqual(brokers["controller_id"], 1)

            r = skiffctl("--admin", admin, "create-topic", "events", "--partitions", "4",
                         "--config", "retention.ms=60000")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("topic 'events' created with 4 partition(s)", r.stdout)
            r = skiffctl("--admin", admin, "create-topic", "events")
            self.assertEqual(r.returncode, 4)
            self.assertIn("already exists", r.stderr)
            r = skiffctl("--admin", admin, "--json", "topics")
            topics = json.loads(r.stdout)["topics"]
            self.assertEqual([(t["name"], t["partitions"], t["configs"]) for t in topics],
                             [("events", 4, {"retention.ms": "60000"})])
            r = skiffctl("--admin", admin, "--json", "--linearizable", "topics")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual([t["name"] for t in json.loads(r.stdout)["topics"]], ["events"])
            r = skiffctl("--admin", admin, "topics", "events")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(len(r.stdout.strip().splitlines()), 5, r.stdout)   # header + 4 partitions
            r = skiffctl("--admin", admin, "delete-topic", "events")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(json.loads(skiffctl("--admin", admin, "--json", "topics").stdout)["topics"], [])

            for cmd in ("raft", "locks", "brokers", "topics"):
                r = skiffctl("--admin", admin, cmd)
                self.assertEqual(r.returncode, 0, cmd + ": " + r.stderr)

            r = skiffctl("--admin", admin, "--json", "watch", "--rate", "20", "--count", "3", timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
            updates = [json.loads(line) for line in r.stdout.splitlines()]
            self.assertEqual(len([u for u in updates if "status" in u]), 3)
            self.assertEqual(updates[0]["status"]["node_id"], 1)
            r = skiffctl("--admin", admin, "watch", "--count", "2", timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.count("skiffctl watch"), 2)

    def test_http_status_is_the_admin_status(self):
        # One view: GET /status is the admin socket's StatusSnapshot in skiffctl's JSON mapping.
        with SkiffNode() as node:
            code, http = http_get(node.http_port, "/status")
            self.assertEqual(code, 200)
            rc, out, err = status_json(admin_of(node))
            self.assertEqual(rc, 0, err)
            admin = out["nodes"][0]["status"]
            self.assertEqual(sorted(http), sorted(admin), "the same fields")
            for key in ("node_id", "cluster_id", "incarnation_id", "build", "process_start_unix_ms", "startup_state",
                        "role", "leader_id", "term", "vote", "voters", "learners", "ready", "ready_reason",
                        "halt_reason", "topic_count"):
                self.assertEqual(http[key], admin[key], key)
            self.assertEqual((http["node_id"], http["leader_id"], http["ready"], http["startup_state"]), (1, 1, True, "ready"))
            self.assertEqual([b["id"] for b in http["brokers"]], [b["id"] for b in admin["brokers"]])
            self.assertGreater(http["ready_iterations"], 0)

    def test_watchdog_misses_are_events(self):
        # Loops beat every 50 ms; with watchdog.miss.ms = 1 every beat interval is a miss, so the
        # once-a-second summary must reach the event stream as one "watchdog-miss" per loop.
        with SkiffNode(extra_args=["--watchdog-miss-ms", "1", "--watchdog-stall-ms", "10000"]) as node:
            r = skiffctl("--admin", admin_of(node), "--json", "watch", "--rate", "10", "--count", "30", timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
            events = [json.loads(line)["event"] for line in r.stdout.splitlines() if '"event"' in line]
            misses = [e for e in events if e["kind"] == "watchdog-miss"]
            self.assertTrue(misses and all(e["event_kind"] == "EVENT_KIND_WATCHDOG_MISS" for e in misses), events)
            self.assertTrue(any(e["text"].startswith("loop raft missed its heartbeat") for e in misses), events)
            self.assertTrue(all("watchdog.miss.ms = 1 ms" in e["text"] for e in misses), misses)
            self.assertIn("watchdog: loop raft missed its heartbeat", node.log())


if __name__ == "__main__":
    unittest.main()
