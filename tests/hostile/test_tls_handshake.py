"""What a hostile TLS client sends during the handshake must never stop a node nor hold its sockets
(issue #18: the TLS handshake path, beside the SASL fuzzer).

A real skiffd with an SSL listener and raft.ssl.enable (certificates made here with the openssl
command line) is sent a few thousand mutations of a real ClientHello (captured from Python's ssl
through memory BIOs), each on its own connection: seeded bit flips, truncations, record and
handshake length corruptions, changed record types and versions, oversized records and handshake
messages, garbage after a valid hello, hellos split over records, and real handshakes whose
client Finished flight is corrupted. The node must close every one of them by itself, failed or
not done within ssl.handshake.timeout.ms (the raft port: within PeerTransport's 5 s for a Hello),
count each Kafka one as a failed TLS handshake, give every descriptor back, and serve a real SSL
client (confluent-kafka) and a TLS peer handshake afterwards. The seed is printed;
SKIFF_TLS_FUZZ_SEED replays a run."""
import collections
import os
import random
import selectors
import socket
import ssl
import struct
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from confluent_kafka import Consumer, Producer  # noqa: E402
from harness import metric, poll, poll_values  # noqa: E402
from test_tls import SslNodeTest  # noqa: E402  (one node with PLAINTEXT and SSL listeners)

HANDSHAKE_TIMEOUT_MS = 1000   # the node's ssl.handshake.timeout.ms
RAFT_HELLO_TIMEOUT_MS = 5000  # PeerTransport::kHandshakeTimeoutMs: the TLS handshake and a Hello
# How long past its timeout a connection may stay open before it counts as left hanging: the
# sweep runs every timeout / 4, and a loaded machine (ctest -j, thousands of connections) delays it.
MARGIN_S = 10
KAFKA_CASES = 2000
RAFT_CASES = 600
FINISHED_CASES = 30   # per port: real handshakes with a corrupted client Finished flight
IN_FLIGHT = 300       # connections open at once
FD_MARGIN = 16        # descriptors the node may open meanwhile for itself (segments, timers)


def client_context(maximum=None, cert=None, key=None):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if maximum:
        ctx.maximum_version = maximum
    if cert:
        ctx.load_cert_chain(cert, key)
    return ctx


def client_hello(ctx):
    """The ClientHello record(s) `ctx` sends first, as bytes on the wire."""
    out = ssl.MemoryBIO()
    tls = ctx.wrap_bio(ssl.MemoryBIO(), out, server_hostname="localhost")
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    hello = out.read()
    assert hello[0] == 0x16 and hello[5] == 0x01, "not a ClientHello: %r" % hello[:8]
    return hello


def length_fields(hello):
    """(offset, width) of the ClientHello's length fields: record, handshake, session id, cipher
    suites, compression methods, extensions and each extension's."""
    fields = [(3, 2), (6, 3)]
    at = 5 + 4 + 2 + 32
    fields.append((at, 1))
    at += 1 + hello[at]
    fields.append((at, 2))
    at += 2 + struct.unpack_from(">H", hello, at)[0]
    fields.append((at, 1))
    at += 1 + hello[at]
    fields.append((at, 2))
    end = at + 2 + struct.unpack_from(">H", hello, at)[0]
    at += 2
    while at + 4 <= end:
        fields.append((at + 2, 2))
        at += 4 + struct.unpack_from(">H", hello, at + 2)[0]
    return fields


def records(flight):
    """(offset, type, length) of each TLS record in `flight`."""
    out, at = [], 0
    while at + 5 <= len(flight):
        length = struct.unpack_from(">H", flight, at + 3)[0]
        out.append((at, flight[at], length))
        at += 5 + length
    return out


def boundary(rng, width, actual):
    top = (1 << (8 * width)) - 1
    return rng.choice([0, 1, actual - 1, actual + 1, top, top - 1, 0x4000, 0x4001, rng.randrange(top + 1)]) & top


def mutate(rng, hello):
    """(kind, payload): one hostile variation of a valid ClientHello."""
    kind = rng.choice(["bit flips", "truncated", "length field", "record type", "record version",
                       "oversized record", "oversized handshake", "garbage after hello", "hello split over records",
                       "nothing"])
    b = bytearray(hello)
    if kind == "bit flips":
        for _ in range(rng.randint(1, 8)):
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif kind == "truncated":
        b = b[:rng.randrange(1, len(b))]
    elif kind == "length field":
        at, width = rng.choice(length_fields(hello))
        actual = int.from_bytes(b[at:at + width], "big")
        b[at:at + width] = boundary(rng, width, actual).to_bytes(width, "big")
    elif kind == "record type":
        b[0] = rng.choice([0, 20, 21, 23, 24, 0x80, 0xFF, rng.randrange(256)])
    elif kind == "record version":
        b[1:3] = bytes([rng.randrange(256), rng.randrange(256)])
    elif kind == "oversized record":
        # A record longer than TLS allows (2^14 plus expansion), its bytes all sent.
        body = bytes(b[5:]) + os.urandom(0xFFFF - (len(b) - 5))
        b = bytearray(b[:3] + struct.pack(">H", 0xFFFF) + body)
    elif kind == "oversized handshake":
        # A ClientHello announcing 16 MiB, followed by 64 KiB of it in full-size records.
        message = b"\x01\xff\xff\xff" + os.urandom(4 * 16384 - 4)
        b = bytearray(b"".join(b"\x16\x03\x01" + struct.pack(">H", 16384) + message[i:i + 16384]
                               for i in range(0, len(message), 16384)))
    elif kind == "garbage after hello":
        b += os.urandom(rng.randint(1, 4096))
    elif kind == "hello split over records":
        # Valid TLS (a handshake message may span records), one byte flipped or not: answered
        # or refused, the handshake is never finished.
        body, parts, at = bytes(b[5:]), [], 0
        while at < len(body):
            n = rng.randint(1, 64)
            parts.append(b[:3] + struct.pack(">H", len(body[at:at + n])) + body[at:at + n])
            at += n
        b = bytearray(b"".join(parts))
        if rng.random() < 0.5:
            b[rng.randrange(len(b))] ^= 1 << rng.randrange(8)
    elif kind == "nothing":
        b = bytearray()
    return kind, bytes(b)


class Case:
    """One hostile connection: `start` opens it and sends what it sends; the node must close it
    within `limit_s` of its start."""

    def __init__(self, target, kind, limit_s, start):
        self.target, self.kind, self.limit_s, self.start = target, kind, limit_s, start
        self.sock = None
        self.started = None


def send_payload(port, payload):
    def start():
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        try:
            s.sendall(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass   # refused before it was all sent: closed, as it should be
        return s
    return start


def finished_flight_corrupted(port, ctx, rng, timeout_s):
    """A real handshake up to the client's last flight, sent with one bit flipped in its last
    record's payload (the encrypted Finished): the server's record decryption path. A handshake
    the node closed for its timeout (`timeout_s`: a starved machine) is begun again."""
    def handshake():
        incoming, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        tls = ctx.wrap_bio(incoming, out, server_hostname="localhost")
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        connected = time.monotonic()
        sent_hello = False
        while True:
            try:
                tls.do_handshake()
            except ssl.SSLWantReadError:
                pass
            flight = bytearray(out.read())
            if flight and sent_hello:
                return s, flight   # the client's last flight (TLS 1.2: before the server's Finished; 1.3: after)
            if flight:
                s.sendall(flight)
                sent_hello = True
            data = s.recv(65536)
            if not data:
                s.close()
                waited = time.monotonic() - connected
                if waited < 0.9 * timeout_s:   # Qt's coarse timers may fire up to 5 % early
                    raise AssertionError("the node closed a valid handshake on port %d after %.3f s" % (port, waited))
                return None, None
            incoming.write(data)

    def start():
        for attempt in range(5):
            start.retries = attempt
            s, flight = handshake()
            if s:
                at, _, length = records(flight)[-1]
                flight[at + 5 + rng.randrange(length)] ^= 1 << rng.randrange(8)
                s.sendall(flight)
                return s
        raise AssertionError("no handshake on port %d was done within its timeout in 5 tries" % port)
    start.retries = 0   # handshakes the node closed for their timeout before this one
    return start


def run_cases(cases, in_flight=IN_FLIGHT):
    """Runs the cases, `in_flight` at a time, each until the node closes it (EOF or reset; what
    it sends before is read and dropped) or its limit passes. Returns the cases left open."""
    sel = selectors.DefaultSelector()
    waiting = collections.deque(cases)
    open_cases = set()
    hanging = []

    def done(case):
        sel.unregister(case.sock)
        case.sock.close()
        open_cases.discard(case)

    while waiting or open_cases:
        while waiting and len(open_cases) < in_flight:
            case = waiting.popleft()
            case.started = case.started or time.monotonic()
            case.sock = case.start()
            case.sock.setblocking(False)
            sel.register(case.sock, selectors.EVENT_READ, case)
            open_cases.add(case)
        for key, _ in sel.select(timeout=0.05):
            case = key.data
            try:
                if case.sock.recv(65536):
                    continue
            except BlockingIOError:
                continue
            except OSError:
                pass   # reset: closed by the node
            done(case)
        now = time.monotonic()
        for case in [c for c in open_cases if now - c.started > c.limit_s]:
            hanging.append(case)
            done(case)
    sel.close()
    return hanging


def open_fds(node):
    return len(os.listdir("/proc/%d/fd" % node.proc.pid))


class TlsHandshakeFuzzTest(SslNodeTest):
    EXTRA_ARGS = ["--ssl-handshake-timeout-ms", str(HANDSHAKE_TIMEOUT_MS), "--raft-ssl-enable", "true"]

    @classmethod
    def setUpClass(cls):
        cls.seed = int(os.environ.get("SKIFF_TLS_FUZZ_SEED") or random.SystemRandom().randrange(1 << 32))
        print("\nTLS handshake fuzz seed %d (SKIFF_TLS_FUZZ_SEED=%d replays it)" % (cls.seed, cls.seed), flush=True)
        super().setUpClass()
        cls.ssl_port = cls.node.listener_ports["SSL"]
        cls.client = {"bootstrap.servers": cls.ssl_bootstrap, "security.protocol": "SSL", "ssl.ca.location": cls.certs.ca}

    def peer_context(self):
        return client_context(cert=self.certs.node_cert, key=self.certs.node_key)

    def assert_alive(self):
        self.assertIsNone(self.node.proc.poll(), "skiffd exited:\n%s" % self.node.log()[-3000:])

    def assert_raft_tls_handshake_completes(self):
        with socket.create_connection(("127.0.0.1", self.node.raft_port), timeout=10) as raw:
            with self.peer_context().wrap_socket(raw, server_hostname="localhost") as tls:
                self.assertIsNotNone(tls.version())

    def produce_and_consume(self, topic, count=100):
        p = Producer(dict(self.client, acks="all"))
        for i in range(count):
            p.produce(topic, value=b"%s-%d" % (topic.encode(), i))
        self.assertEqual(p.flush(60), 0)
        c = Consumer(dict(self.client, **{"group.id": topic, "auto.offset.reset": "earliest"}))
        c.subscribe([topic])
        got = poll_values(c, count)
        c.close()
        self.assertEqual(sorted(got), sorted(b"%s-%d" % (topic.encode(), i) for i in range(count)))

    def assert_fds_back(self, before):
        poll("the node's descriptors back to %d (+%d)" % (before, FD_MARGIN),
             lambda: open_fds(self.node) <= before + FD_MARGIN, timeout=MARGIN_S * 3)

    def test_mutated_handshakes_are_each_closed_and_leak_nothing(self):
        rng = random.Random(self.seed)
        # Warm up what a first client and a first peer make the node open, then count.
        self.produce_and_consume("tls-fuzz-before")
        self.assert_raft_tls_handshake_completes()
        fds_before = open_fds(self.node)
        closed_before = metric(self.node, "skiff_kafka_connections_closed_total", reason="tls_handshake")

        hellos = [client_hello(client_context()), client_hello(client_context(maximum=ssl.TLSVersion.TLSv1_2))]
        kafka_limit = HANDSHAKE_TIMEOUT_MS / 1000 + MARGIN_S
        raft_limit = RAFT_HELLO_TIMEOUT_MS / 1000 + MARGIN_S
        flood = []
        for _ in range(KAFKA_CASES):
            kind, payload = mutate(rng, rng.choice(hellos))
            flood.append(Case("kafka", kind, kafka_limit, send_payload(self.ssl_port, payload)))
        for _ in range(RAFT_CASES):
            kind, payload = mutate(rng, rng.choice(hellos))
            flood.append(Case("raft", kind, raft_limit, send_payload(self.node.raft_port, payload)))
        rng.shuffle(flood)
        # Real handshakes with a corrupted last flight, apart and a few at a time: each must be
        # done within the node's handshake timeout, which a flood around it would not leave them.
        finished = []
        for _ in range(FINISHED_CASES):
            finished.append(Case("kafka", "corrupted Finished", kafka_limit, finished_flight_corrupted(
                self.ssl_port, client_context(rng.choice([None, ssl.TLSVersion.TLSv1_2])), rng, HANDSHAKE_TIMEOUT_MS / 1000)))
            finished.append(Case("raft", "corrupted Finished", raft_limit, finished_flight_corrupted(
                self.node.raft_port, self.peer_context(), rng, RAFT_HELLO_TIMEOUT_MS / 1000)))

        start = time.monotonic()
        hanging = run_cases(flood) + run_cases(finished, in_flight=4)
        cases = flood + finished
        kinds = collections.Counter((c.target, c.kind) for c in cases)
        print("%d hostile handshakes in %.1f s: %s" % (len(cases), time.monotonic() - start,
              ", ".join("%s %s %d" % (t, k, n) for (t, k), n in sorted(kinds.items()))), flush=True)

        self.assertEqual([], ["%s: %s" % (c.target, c.kind) for c in hanging],
                         "connections the node left open past their handshake timeout + %d s" % MARGIN_S)
        self.assert_alive()
        self.assert_fds_back(fds_before)
        # Every Kafka one was closed as a failed (or unfinished) TLS handshake, none for another
        # reason (nor were the handshakes begun again because the node timed them out).
        kafka_closes = sum(1 + getattr(c.start, "retries", 0) for c in cases if c.target == "kafka")
        self.assertEqual(metric(self.node, "skiff_kafka_connections_closed_total", reason="tls_handshake") - closed_before,
                         kafka_closes)
        # The raft port's refusals of connections that never named a node are rate-limited per
        # remote host: a handful of lines for hundreds of them, the rest counted as held back.
        refusal_lines = self.node.log().count("closed inbound peer link from 127.0.0.1")
        self.assertGreater(refusal_lines, 0, "no line for the refused raft-port handshakes")
        self.assertLess(refusal_lines, RAFT_CASES // 10, "raft-port refusals are not rate-limited")
        self.assertGreater(metric(self.node, "skiff_log_lines_suppressed_total", category="peer_link_refused"), 0)
        # And both TLS ports serve as before.
        self.produce_and_consume("tls-fuzz-after")
        self.assert_raft_tls_handshake_completes()
        self.assert_alive()

    def test_many_partial_handshakes_at_once_while_a_client_is_served(self):
        rng = random.Random(self.seed + 1)
        self.produce_and_consume("tls-partial-before", count=10)
        fds_before = open_fds(self.node)
        hello = client_hello(client_context())
        limits = {self.ssl_port: HANDSHAKE_TIMEOUT_MS / 1000 + MARGIN_S,
                  self.node.raft_port: RAFT_HELLO_TIMEOUT_MS / 1000 + MARGIN_S}
        cases = []
        for i in range(400):
            port = self.ssl_port if i % 4 else self.node.raft_port
            s = socket.create_connection(("127.0.0.1", port), timeout=10)
            s.sendall(hello[:rng.randrange(1, len(hello))])
            case = Case("kafka" if port == self.ssl_port else "raft", "partial hello", limits[port], lambda s=s: s)
            case.started = time.monotonic()   # its limit counts from now, not from when it is watched
            cases.append(case)
        # Meanwhile a real client is served over TLS, and a peer's TLS handshake completes.
        self.produce_and_consume("tls-partial-meanwhile", count=20)
        self.assert_raft_tls_handshake_completes()
        hanging = run_cases(cases, in_flight=len(cases))
        self.assertEqual([], ["%s: %s" % (c.target, c.kind) for c in hanging],
                         "partial handshakes the node left open past their timeout + %d s" % MARGIN_S)
        self.assert_alive()
        self.assert_fds_back(fds_before)


if __name__ == "__main__":
    unittest.main()
