"""Record batch v2 headers read straight from a partition's segment files, and the comparison of
replicas' logs below a high watermark. Pure Python with no client library: the replication tests
(tests/e2e) and the fault bed's replica check (tests/faults) both use it.

Skiff stores batches exactly as appended (node/log/README.md), in Kafka's format, so reading the
headers checks "every replica holds the same log below the high watermark" without trusting any
view the broker computes.
"""
import glob
import os
import struct
from collections import namedtuple

# A batch v2 header: baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8,
# crc uint32, attributes int16, lastOffsetDelta int32 (27 bytes of the 61-byte header).
_HEADER = struct.Struct(">qiibIhi")
_MIN_BATCH = 61   # the whole v2 header; batchLength counts from partitionLeaderEpoch (12 bytes in)

Batch = namedtuple("Batch", "base_offset last_offset leader_epoch crc")


def read_batches(partition_dir):
    """Every whole batch of a partition directory's segments (<base>.log, in offset order), as
    Batch(base_offset, last_offset, leader_epoch, crc). A torn tail (a crash mid-append) ends the
    walk of its segment, as the broker's recovery does."""
    out = []
    for path in sorted(glob.glob(os.path.join(partition_dir, "*.log"))):
        with open(path, "rb") as f:
            data = f.read()
        pos = 0
        while pos + _HEADER.size <= len(data):
            base, length, epoch, magic, crc, _, last_delta = _HEADER.unpack_from(data, pos)
            size = 12 + length
            if magic != 2 or size < _MIN_BATCH or pos + size > len(data):
                break
            out.append(Batch(base, base + last_delta, epoch, crc))
            pos += size
    return out


def partition_dir(data_dir, topic, partition):
    return os.path.join(data_dir, "%s-%d" % (topic, partition))


def log_end(batches):
    """The offset after the last batch (0 for an empty log)."""
    return batches[-1].last_offset + 1 if batches else 0


def below(batches, high_watermark):
    return [b for b in batches if b.last_offset < high_watermark]


def replica_differences(logs, high_watermark):
    """logs: {name: [Batch]} of one partition's replicas. Returns one line per replica whose
    batches below the high watermark differ from the first replica's that reaches it (same
    offsets, CRC and leader epoch), or that end short of it. Empty: identical."""
    prefixes = {name: below(batches, high_watermark) for name, batches in logs.items()}
    complete = [n for n in sorted(prefixes) if log_end(prefixes[n]) == high_watermark]
    problems = []
    for name in sorted(prefixes):
        if log_end(prefixes[name]) != high_watermark:
            problems.append("%s holds batches to offset %d, short of the high watermark %d" % (
                name, log_end(prefixes[name]), high_watermark))
    if not complete:
        return problems
    reference = prefixes[complete[0]]
    for name in complete[1:]:
        mine = prefixes[name]
        if mine != reference:
            first = next((i for i, (a, b) in enumerate(zip(reference, mine)) if a != b), min(len(reference), len(mine)))
            problems.append("%s differs from %s below the high watermark %d at batch %d: %s vs %s" % (
                name, complete[0], high_watermark, first, mine[first] if first < len(mine) else "none",
                reference[first] if first < len(reference) else "none"))
    return problems
