"""Skiff's peer wire (node/cluster/cluster.proto, node/raft/raft.proto), encoded by hand so that a
test can build any frame a faulty or hostile peer could send, including ones no real node would."""
import socket
import struct

PEER_PROTOCOL_VERSION = 1

# raft.proto MessageType / EntryType
MSG_PROP, MSG_APP, MSG_VOTE, MSG_PRE_VOTE, MSG_HEARTBEAT = 3, 4, 6, 8, 11
ENTRY_NORMAL, ENTRY_CONF_CHANGE, ENTRY_NOOP = 1, 2, 3


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def field_varint(number, value):
    return varint(number << 3) + varint(value) if value else b""


def field_bytes(number, data):
    if isinstance(data, str):
        data = data.encode()
    return varint((number << 3) | 2) + varint(len(data)) + data if data else b""


def hello(cluster_id, from_node, to_node=0, raft_address="127.0.0.1:1", join_token=""):
    return field_bytes(1, field_varint(1, PEER_PROTOCOL_VERSION) + field_bytes(2, cluster_id) +
                       field_varint(3, from_node) + field_varint(4, to_node) + field_bytes(5, raft_address) +
                       field_bytes(6, "hostile-test") + field_bytes(7, join_token))


def entry(index=0, term=0, type_=ENTRY_NORMAL, data=b""):
    return field_varint(1, index) + field_varint(2, term) + field_varint(3, type_) + field_bytes(4, data)


def raft(type_, to, from_, term=0, log_term=0, index=0, entries=(), commit=0):
    body = (field_varint(1, type_) + field_varint(2, to) + field_varint(3, from_) + field_varint(4, term) +
            field_varint(5, log_term) + field_varint(6, index) + b"".join(field_bytes(7, e) for e in entries) +
            field_varint(8, commit))
    return field_bytes(3, body)


def join_request(node_id, raft_address):
    return field_bytes(6, field_varint(1, node_id) + field_bytes(2, raft_address))


def frame(body):
    return struct.pack(">I", len(body)) + body


def read_fields(data):
    """Top-level fields of a protobuf message: {number: [value, ...]} (varints as int, else bytes)."""
    out, i = {}, 0
    while i < len(data):
        key, i = _read_varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _read_varint(data, i)
        elif wire == 2:
            size, i = _read_varint(data, i)
            value, i = data[i:i + size], i + size
        else:
            raise ValueError("wire type %d" % wire)
        out.setdefault(number, []).append(value)
    return out


def _read_varint(data, i):
    shift = value = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, i


class PeerLink:
    """A raw peer link to a node's raft port: sends our Hello and reads the HelloReply."""

    def __init__(self, port, cluster_id, from_node, to_node=0, join_token=""):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.sock.sendall(frame(hello(cluster_id, from_node, to_node, join_token=join_token)))
        reply = read_fields(self.read_frame())
        hello_reply = read_fields(reply[2][0])
        self.accepted = bool(hello_reply.get(1, [0])[0])
        self.error = hello_reply.get(2, [b""])[0].decode()
        self.node_id = hello_reply.get(5, [0])[0]

    def read_frame(self):
        header = self._read_exact(4)
        return self._read_exact(struct.unpack(">I", header)[0])

    def _read_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("peer closed the link")
            data += chunk
        return data

    def send(self, body):
        self.sock.sendall(frame(body))

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
