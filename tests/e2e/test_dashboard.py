"""skiff-dashboard against a real 3-node cluster, offscreen: given one admin address it discovers
the two other nodes, renders a screenshot after the first full update of all three (a real
picture: the expected size, many colours; every tab can be the one captured), and its JSON export
shows three nodes agreeing on one leader and the partitions with their leaders. A node that is down is shown as unreachable instead of holding the dashboard up; one that is
restarted is streamed from again. A dashboard started after a node died shows that node from what
the others saw and the events from before it connected (the nodes' event histories), as skiffctl
events does. Every process is stopped here, by pid."""
import json
import os
import struct
import subprocess
import tempfile
import time
import unittest
import zlib

from harness import SkiffCluster, free_port, poll

DASHBOARD = os.environ.get("SKIFF_DASHBOARD", os.path.join(os.path.dirname(__file__), "../../build/bin/skiff-dashboard"))
SKIFFCTL = os.environ.get("SKIFFCTL", os.path.join(os.path.dirname(__file__), "../../build/bin/skiffctl"))
SESSION_TIMEOUT_MS = 1500
TOPIC = "dash"


def dashboard(*args, timeout=60):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([DASHBOARD] + list(args), capture_output=True, text=True, timeout=timeout, env=env)


def skiffctl(node, *args):
    return subprocess.run([SKIFFCTL, "--admin", "127.0.0.1:%d" % node.admin_port] + list(args),
                          capture_output=True, text=True, timeout=60)


def led_by(node, broker, full_isr=False):
    """The partitions of TOPIC that `broker` leads, as `node` sees them ("dash-0", ...); None while
    some partition has no leader (or, with full_isr, an ISR short of its replicas)."""
    r = skiffctl(node, "--json", "topics", TOPIC)
    if r.returncode != 0:
        return None
    partitions = json.loads(r.stdout)["partitions"]
    if not partitions or any(p["leader"] == 0 or (full_isr and len(p["isr"]) < len(p["replicas"])) for p in partitions):
        return None
    return ["%s-%d" % (p["topic"], p["partition"]) for p in partitions if p["leader"] == broker]


def broker_fenced(node, broker):
    r = skiffctl(node, "--json", "brokers")
    return r.returncode == 0 and any(b["id"] == broker and b["fenced"] for b in json.loads(r.stdout)["brokers"])


def png_pixels(path):
    """(width, height, set of distinct pixels) of an 8-bit RGB/RGBA non-interlaced PNG."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        if y % 4 == 0:
            for x in range(0, stride, bpp * 4):
                colours.add(bytes(line[x:x + bpp]))
        prev = line
    return width, height, colours


class DashboardTest(unittest.TestCase):
    def test_screenshot_and_export_of_a_real_cluster(self):
        with SkiffCluster(3) as cluster, tempfile.TemporaryDirectory(prefix="skiff-dash-") as tmp:
            leader = cluster.wait_leader()
            shot = os.path.join(tmp, "out.png")
            exported = os.path.join(tmp, "out.json")
            # One address: the other two come from the broker registry.
            r = dashboard("--connect", "127.0.0.1:%d" % cluster.node(1).admin_port, "--screenshot", shot,
                          "--export-json", exported, "--screenshot-delay-ms", "1500")
            self.assertEqual(r.returncode, 0, r.stderr)
            width, height, colours = png_pixels(shot)
            self.assertEqual((width, height), (1280, 800))
            self.assertGreater(len(colours), 50, "the screenshot looks blank")
            with open(exported) as f:
                out = json.load(f)
            nodes = out["nodes"]
            self.assertEqual(sorted(n["node_id"] for n in nodes), [1, 2, 3], nodes)
            self.assertEqual(set(n["leader_id"] for n in nodes), {leader})
            self.assertEqual(len(set(n["term"] for n in nodes)), 1)
            self.assertEqual(sorted(n["discovered"] for n in nodes), [False, True, True])
            for n in nodes:
                self.assertEqual(n["connection"], "connected")
                self.assertTrue(n["ready"], n)
                self.assertGreaterEqual(len(n["samples"]), 2)
            self.assertEqual(out["leader_id"], leader)
            self.assertTrue(out["healthy"], out["alerts"])
            if os.environ.get("SKIFF_DASHBOARD_KEEP"):
                import shutil
                shutil.copy(shot, os.environ["SKIFF_DASHBOARD_KEEP"])

            # Node 3 down: it is shown unreachable, the rest still renders, exit 0.
            cluster.node(3).stop()
            all_admin = ",".join("127.0.0.1:%d" % n.admin_port for n in cluster.nodes)
            r = dashboard("--connect", all_admin, "--no-discover", "--export-json", exported)
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(exported) as f:
                out = json.load(f)
            by_address = {n["address"]: n for n in out["nodes"]}
            down = by_address["127.0.0.1:%d" % cluster.node(3).admin_port]
            self.assertEqual(down["connection"], "unreachable")
            self.assertIn("refused", down["error"].lower())
            self.assertFalse(out["healthy"])
            self.assertTrue(any("unreachable" in a["text"] for a in out["alerts"]), out["alerts"])

    def test_every_tab_can_be_screenshot(self):
        """--tab NAME --screenshot FILE renders that tab: the data-plane tabs (partitions, traffic,
        groups) as the others. Nodes that do not report traffic, disks or groups yet show "node too
        old for this view" there; the export has the partitions with their leaders."""
        with SkiffCluster(3) as cluster, tempfile.TemporaryDirectory(prefix="skiff-dash-") as tmp:
            cluster.wait_leader()
            node = cluster.node(1)
            r = skiffctl(node, "create-topic", TOPIC, "--partitions", "3", "--replication-factor", "3")
            self.assertEqual(r.returncode, 0, r.stderr)
            poll("every partition of %s led with a full ISR" % TOPIC, lambda: led_by(node, 1, full_isr=True) is not None)
            admin = "127.0.0.1:%d" % node.admin_port
            for tab in ["charts", "alerts", "brokers", "partitions", "events", "nodes", "traffic", "groups"]:
                shot = os.path.join(tmp, "%s.png" % tab)
                exported = os.path.join(tmp, "%s.json" % tab)
                # 1.5 s: the rates need two snapshots a second apart on the node's clock.
                r = dashboard("--connect", admin, "--tab", tab, "--screenshot", shot, "--export-json", exported,
                              "--screenshot-delay-ms", "1500")
                self.assertEqual(r.returncode, 0, "--tab %s: %s" % (tab, r.stderr))
                width, height, colours = png_pixels(shot)
                self.assertEqual((width, height), (1280, 800))
                self.assertGreater(len(colours), 50, "the %s screenshot looks blank" % tab)
                if os.environ.get("SKIFF_DASHBOARD_KEEP"):
                    import shutil
                    shutil.copy(shot, "%s-%s.png" % (os.environ["SKIFF_DASHBOARD_KEEP"], tab))
            with open(exported) as f:
                out = json.load(f)
            partitions = [p for p in out["partition_list"] if p["topic"] == TOPIC]
            self.assertEqual(sorted(p["partition"] for p in partitions), [0, 1, 2], out["partition_list"])
            for p in partitions:
                self.assertNotEqual(p["leader"], 0, p)
                self.assertEqual((p["replicas"], p["isr"]), (3, 3), p)
                self.assertEqual(p["state"], "ok", p)
            # An unknown tab is a usage error that names the tabs there are.
            r = dashboard("--connect", admin, "--tab", "lag", "--screenshot", os.path.join(tmp, "x.png"))
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("charts, alerts, brokers, partitions, events, nodes, traffic, groups", r.stderr)

    def test_reconnects_to_a_restarted_node(self):
        # The dashboard keeps running (batch output 12 s after the first full update) while node 3
        # is stopped and started again: the export must show it streaming from the new process.
        # The delay is longer than --screenshot-timeout-ms, which bounds only the wait for the
        # first full update (the two used to add up to "no full update ... (internal error)").
        with SkiffCluster(3) as cluster, tempfile.TemporaryDirectory(prefix="skiff-dash-") as tmp:
            cluster.wait_leader()
            before = cluster.status(3)["incarnation_id"]
            exported = os.path.join(tmp, "out.json")
            all_admin = ",".join("127.0.0.1:%d" % n.admin_port for n in cluster.nodes)
            proc = subprocess.Popen([DASHBOARD, "--connect", all_admin, "--no-discover", "--export-json", exported,
                                     "--screenshot-delay-ms", "12000", "--screenshot-timeout-ms", "8000"], env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                time.sleep(1.5)
                cluster.node(3).stop()
                time.sleep(1.0)
                cluster.node(3).start(wait=True)
                after = cluster.status(3)["incarnation_id"]
                self.assertNotEqual(before, after)
                out, err = proc.communicate(timeout=60)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            self.assertEqual(proc.returncode, 0, err)
            with open(exported) as f:
                nodes = {n["node_id"]: n for n in json.load(f)["nodes"] if "node_id" in n}
            self.assertEqual(sorted(nodes), [1, 2, 3])
            self.assertEqual(nodes[3]["connection"], "connected", nodes[3])
            self.assertEqual(nodes[3]["incarnation_id"], after)
            self.assertTrue(nodes[3]["ready"], nodes[3])

    def test_a_dashboard_opened_after_a_node_died_shows_what_happened(self):
        # Node V (a follower leading one partition) is killed, fenced by the controller, and its
        # partition's leadership moves; only then is the dashboard started. It must show V's card
        # from what the others saw (id from the registry, since when, last heartbeat, fenced, the
        # partition it led), an alert naming V's address once, and the election and the fencing
        # that happened before it connected, from the nodes' event histories.
        with SkiffCluster(3, extra_args=["--broker-session-timeout-ms", str(SESSION_TIMEOUT_MS)]) as cluster, \
                tempfile.TemporaryDirectory(prefix="skiff-dash-") as tmp:
            leader = cluster.wait_leader()
            victim = next(i for i in (1, 2, 3) if i != leader)
            survivor = cluster.node(leader)
            r = skiffctl(survivor, "create-topic", TOPIC, "--partitions", "3", "--replication-factor", "3")
            self.assertEqual(r.returncode, 0, r.stderr)
            poll("every partition of %s led with a full ISR" % TOPIC, lambda: led_by(survivor, victim, full_isr=True) is not None)
            led = led_by(survivor, victim)
            self.assertTrue(led, "node %d leads none of the 3 partitions: the test needs one" % victim)

            cluster.node(victim).kill9()
            poll("broker %d fenced and its partitions led elsewhere" % victim,
                 lambda: broker_fenced(survivor, victim) and led_by(survivor, victim) == [], timeout=30)
            started_ms = int(time.time() * 1000)

            exported = os.path.join(tmp, "out.json")
            r = dashboard("--connect", "127.0.0.1:%d" % survivor.admin_port, "--export-json", exported,
                          "--screenshot-delay-ms", "1000")
            self.assertEqual(r.returncode, 0, r.stderr)
            with open(exported) as f:
                out = json.load(f)
            address = "127.0.0.1:%d" % cluster.node(victim).admin_port
            by_address = {n["address"]: n for n in out["nodes"]}
            self.assertIn(address, by_address, "the dead node is discovered from the registry: %s" % list(by_address))
            dead = by_address[address]
            self.assertEqual(dead["connection"], "unreachable", dead)
            gone = dead["unreachable"]
            self.assertEqual(gone["node_id"], victim, gone)
            self.assertTrue(gone["fenced"], gone)
            self.assertGreaterEqual(gone["last_heartbeat_age_ms"], SESSION_TIMEOUT_MS, gone)
            self.assertTrue(gone["since_from_heartbeat"], gone)
            self.assertLess(gone["since_ms"], started_ms, "it was gone before the dashboard started")
            self.assertEqual(gone["led_partitions"], sorted(led), gone)
            card = dead["card"]
            self.assertEqual(card["title"], "node %d · unreachable" % victim, card)
            self.assertIn("fenced", card["lines"], card)
            self.assertIn("led " + ", ".join(sorted(led)), card["lines"], card)
            for line in card["lines"]:   # no template with a blank where a value should be
                self.assertTrue(line.strip(), card)
                self.assertNotIn("?", line, card)
                self.assertFalse(line.endswith("·") or "·  " in line or "  ·" in line, card)

            alerts = [a for a in out["alerts"] if "unreachable" in a["text"]]
            self.assertEqual(len(alerts), 1, out["alerts"])
            self.assertEqual(alerts[0]["source"], "node %d" % victim, alerts[0])
            self.assertEqual((alerts[0]["source"] + " " + alerts[0]["text"]).count(address), 1, alerts[0])
            self.assertIn("refused", alerts[0]["text"].lower(), alerts[0])

            before = [e for e in out["events"] if e["time_ms"] < started_ms]
            self.assertTrue(all(e["from_history"] for e in before), before)
            kinds = {e["kind"] for e in before}
            self.assertIn("election", kinds, before)
            fenced = [e for e in before if e["kind"] == "broker-fenced" and e["text"] == "broker %d fenced" % victim]
            self.assertTrue(fenced, before)
            moved = {"%s-%d" % (m["topic"], m["partition"]) for e in before if e["kind"] == "leader-elected"
                     for m in e.get("leader_moves", []) if m["from"] == victim}
            self.assertEqual(moved, set(led), before)
            times = [e["time_ms"] for e in out["events"]]
            self.assertEqual(times, sorted(times), "merged in the nodes' time order")
            for n in out["nodes"]:
                if n["connection"] == "connected":
                    self.assertEqual(n["event_history"], "received", n)

            # skiffctl prints the same history.
            r = skiffctl(survivor, "events")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("broker %d fenced" % victim, r.stdout)
            self.assertIn("election", r.stdout)
            r = skiffctl(survivor, "--json", "events")
            self.assertEqual(r.returncode, 0, r.stderr)
            listed = [json.loads(line) for line in r.stdout.splitlines()]
            self.assertTrue(any(e["kind"] == "broker-fenced" for e in listed), listed)
            self.assertTrue(any(e["kind"] == "topic-created" and e["text"].startswith("topic '%s' created" % TOPIC)
                                for e in listed), listed)

            # Restarted, the node replays its log: that is no news, and its events say what this
            # process saw (it registers again), not the topic created before it died.
            cluster.node(victim).start(wait=True)
            r = skiffctl(cluster.node(victim), "--json", "events")
            self.assertEqual(r.returncode, 0, r.stderr)
            listed = [json.loads(line) for line in r.stdout.splitlines()]
            self.assertFalse([e for e in listed if e["kind"] == "topic-created"], listed)
            poll("node %d's registration among its events" % victim,
                 lambda: "broker %d registered" % victim in skiffctl(cluster.node(victim), "events").stdout)

    def test_nothing_answering_times_out_with_a_clear_line(self):
        # A port that accepts but never speaks: the node is unreachable, which is an answer; a
        # timeout shorter than the connect timeout is what makes the dashboard give up.
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen()
            r = dashboard("--connect", "127.0.0.1:%d" % s.getsockname()[1], "--screenshot", "/dev/null",
                          "--screenshot-timeout-ms", "1000")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no full update within 1000 ms", r.stderr)
        self.assertIn("still connecting", r.stderr)

    def test_usage_error(self):
        r = dashboard("--screenshot", "/tmp/x.png")
        self.assertEqual(r.returncode, 2)
        self.assertIn("need --connect", r.stderr)


if __name__ == "__main__":
    unittest.main()
