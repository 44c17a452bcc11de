"""skiff-dashboard against a real 3-node cluster, offscreen: given one admin address it discovers
the two other nodes, renders a screenshot after the first full update of all three (a real
picture: the expected size, many colours), and its JSON export shows three nodes agreeing on one
leader. A node that is down is shown as unreachable instead of holding the dashboard up; one that is
restarted is streamed from again. Every process is stopped here, by pid."""
import json
import os
import struct
import subprocess
import tempfile
import time
import unittest
import zlib

from harness import SkiffCluster, free_port

DASHBOARD = os.environ.get("SKIFF_DASHBOARD", os.path.join(os.path.dirname(__file__), "../../build/bin/skiff-dashboard"))


def dashboard(*args, timeout=60):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([DASHBOARD] + list(args), capture_output=True, text=True, timeout=timeout, env=env)


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
