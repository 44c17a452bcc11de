"""A minimal hand-written Kafka wire codec for e2e tests of APIs no installed client sends:
request encoding helpers (flexible and classic), a response Reader, and one request/response
round trip over a fresh connection. Written from Kafka's protocol guide and schemas."""
import socket
import struct


def uvarint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def compact_string(s):
    data = s.encode()
    return uvarint(len(data) + 1) + data


def compact_array(items, encode):
    if items is None:
        return uvarint(0)
    return uvarint(len(items) + 1) + b"".join(encode(i) for i in items)


def string(s):
    data = s.encode()
    return struct.pack(">h", len(data)) + data


def array(items, encode):
    if items is None:
        return struct.pack(">i", -1)
    return struct.pack(">i", len(items)) + b"".join(encode(i) for i in items)


class Reader:
    def __init__(self, data, flexible):
        self.data, self.pos, self.flexible = data, 0, flexible

    def take(self, fmt):
        v = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return v[0]

    def uvarint(self):
        shift = n = 0
        while True:
            b = self.data[self.pos]
            self.pos += 1
            n |= (b & 0x7F) << shift
            if not b & 0x80:
                return n
            shift += 7

    def length(self):
        return self.uvarint() - 1 if self.flexible else self.take(">i")

    def string(self):
        n = self.uvarint() - 1 if self.flexible else self.take(">h")
        if n < 0:
            return None
        s = self.data[self.pos:self.pos + n].decode()
        self.pos += n
        return s

    def array(self, elem):
        n = self.length()
        return None if n < 0 else [elem() for _ in range(n)]

    def tags(self):
        if self.flexible:
            assert self.uvarint() == 0, "unexpected tagged fields"

    def done(self):
        assert self.pos == len(self.data), "%d trailing bytes" % (len(self.data) - self.pos)


def frame(api_key, version, body, flexible=False, correlation=23, client=b"e2e"):
    """One size-prefixed request: header v2 when flexible, else v1 (client None: a null client id)."""
    client_id = struct.pack(">h", -1) if client is None else struct.pack(">h", len(client)) + client
    header = struct.pack(">hhi", api_key, version, correlation) + client_id + (b"\x00" if flexible else b"")
    return struct.pack(">i", len(header) + len(body)) + header + body


def read_frame(sock):
    """The next size-prefixed frame's bytes (past the size), or None when the peer closes first."""
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data
    size = exactly(4)
    return None if size is None else exactly(struct.unpack(">i", size)[0])


def response(data, flexible, correlation=23):
    """A Reader over a response frame's body, past its header (v1 when flexible, else v0)."""
    r = Reader(data, flexible)
    assert r.take(">i") == correlation
    r.tags()
    return r


def call(node, api_key, version, flexible, body, correlation=23, client=b"e2e"):
    """Sends one request (header v2 when flexible, else v1) to `node` (a harness SkiffNode) and
    returns a Reader over the response body (past a header v1 or v0)."""
    with socket.create_connection(("127.0.0.1", node.kafka_port), timeout=10) as s:
        s.sendall(frame(api_key, version, body, flexible, correlation, client))
        data = read_frame(s)
    if data is None:
        raise ConnectionError("connection closed (the request was refused?)")
    return response(data, flexible, correlation)


def api_versions(node):
    """{api key: (min, max)} of ApiVersions v0."""
    r = call(node, 18, 0, False, b"")
    assert r.take(">h") == 0
    return {k: (lo, hi) for k, lo, hi in r.array(lambda: (r.take(">h"), r.take(">h"), r.take(">h")))}
