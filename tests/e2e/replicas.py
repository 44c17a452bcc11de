"""What the replication tests ask the brokers: a partition's replicas, ISR, leader and leader epoch
as Kafka's Metadata (v7) states them, and whether this skiffd knows a config key. (Each replica's
log as it lies on disk: batch_headers.py.)
"""
import subprocess
import time
from collections import namedtuple

from kafka.protocol.api import Request, Response
from kafka.protocol.types import Array, Boolean, Int16, Int32, Schema, String

import harness
from test_partition_storage import kafka_request   # one encoder of raw requests for the e2e tests

# ---- Metadata v7: leader epoch, ISR, offline replicas -----------------------------------------------


class MetadataResponse_v7(Response):
    """kafka-python 2.0.2 stops at v5, which has no leader epoch (KIP-320 added it in v7)."""
    API_KEY = 3
    API_VERSION = 7
    SCHEMA = Schema(
        ("throttle_time_ms", Int32),
        ("brokers", Array(("node_id", Int32), ("host", String("utf-8")), ("port", Int32), ("rack", String("utf-8")))),
        ("cluster_id", String("utf-8")),
        ("controller_id", Int32),
        ("topics", Array(("error_code", Int16), ("name", String("utf-8")), ("is_internal", Boolean),
                         ("partitions", Array(("error_code", Int16), ("partition", Int32), ("leader", Int32),
                                              ("leader_epoch", Int32), ("replicas", Array(Int32)),
                                              ("isr", Array(Int32)), ("offline_replicas", Array(Int32)))))))


class MetadataRequest_v7(Request):
    API_KEY = 3
    API_VERSION = 7
    RESPONSE_TYPE = MetadataResponse_v7
    SCHEMA = Schema(("topics", Array(String("utf-8"))), ("allow_auto_topic_creation", Boolean))


PartitionState = namedtuple("PartitionState", "error leader leader_epoch replicas isr offline")


def partition_states(node, topic):
    """{partition: PartitionState} of a topic as this node answers Metadata v7, or None if it does not
    answer or does not know the topic."""
    try:
        response = kafka_request(node, MetadataRequest_v7(topics=[topic], allow_auto_topic_creation=False))
    except OSError:
        return None
    (t,) = response.topics
    if t[0] != 0:
        return None
    return {p[1]: PartitionState(p[0], p[2], p[3], sorted(p[4]), sorted(p[5]), sorted(p[6])) for p in t[3]}


def wait_state(nodes, topic, partition, accept, what, timeout):
    """Polls Metadata through each running node until one answers a PartitionState that accept()
    takes; returns it. Raises AssertionError naming `what` and the last state seen otherwise."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        for n in nodes:
            if n.proc is None or n.proc.poll() is not None:
                continue
            states = partition_states(n, topic)
            if states and partition in states:
                last = states[partition]
                if accept(last):
                    return last
        if time.monotonic() > deadline:
            raise AssertionError("%s-%d: no %s within %.0f s (last Metadata: %s)" % (topic, partition, what, timeout, last))
        time.sleep(0.05)


def wait_isr(nodes, topic, partition, members, timeout=30):
    """Waits until Metadata names exactly these ISR members and a leader among them."""
    want = sorted(members)
    return wait_state(nodes, topic, partition, lambda s: s.isr == want and s.leader in want,
                      "ISR %s with a leader" % want, timeout)


# ---- the broker binary ------------------------------------------------------------------------------

def missing_keys(*keys):
    """The config keys this skiffd does not know (every key is a flag listed by --help)."""
    text = subprocess.run([harness.SKIFFD, "--help"], capture_output=True, text=True, timeout=30).stdout
    return [k for k in keys if "--" + k.replace(".", "-") + " " not in text]
