"""Checks a fault run's whole history (pure: no sockets, no processes).

A history is a list of operations, each a dict written by the clients, the nemesis and the
observer (history.py says how). The checker answers what a Kafka user is promised:

- lost:           an acknowledged record that the final read does not hold at its acknowledged offset;
- duplicate:      one value at two offsets (producers are idempotent, so each value is sent once);
- inconsistent:   one (partition, offset) read with two different values, by any client, at any time,
                  through any node;
- non-monotonic:  a consumer's offsets going backwards within one assignment, or a group's committed
                  offset of a partition going backwards;
- unexpected:     a value read that no client ever sent;
- exited:         a node process that stopped by itself (found not running once every fault healed);
- stalled:        the load stopped: a client process that ended before it was told to, a producer that
                  invoked no send for STALL_S (its loop stopped), or, once every fault healed, a
                  producer with no send acknowledged or a consumer with nothing read after the heal
                  (a cluster that is up but serves nobody passes every other check);
- metadata:       two leaders in one term; an acknowledged topic creation missing from a node once
                  healed; broker registries that differ once healed; a node not ready once healed;
- replicas:       (replication factor above 1; the run reads each replica's segment files once healed)
                  a partition whose ISR does not hold all its replicas again, or whose replicas'
                  batches (offsets, CRC, leader epoch) below the leader's high watermark differ;
- client fatal:   (a figure, not a finding) how often a producer's client library gave up on its
                  producer id and the worker went on with a new one (worker.py says when librdkafka does);
- availability:   per fault, the share of sends invoked during it that succeeded before it ended,
                  and the time from its heal to the first success of a send it held up
                  (figures, not findings).

A history with no acknowledged write or no final read is itself a finding: a check that saw
nothing must not pass.
"""
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from batch_headers import Batch, replica_differences  # noqa: E402

METADATA_OPS = ("create-topic", "delete-topic", "create-partitions", "alter-config")
FINDING_KINDS = ("lost", "duplicate", "inconsistent", "non-monotonic", "unexpected", "metadata", "replicas", "exited",
                 "stalled", "unreadable", "empty")
# A producer invokes a send every 1/rate s whatever the cluster does (sends are asynchronous): a
# longer silence means its own loop stopped, which no fault the bed schedules explains.
STALL_S = 30.0


def _reads(history):
    """Every record any client saw: (op, topic, partition, offset, value)."""
    for op in history:
        if op.get("type") == "ok" and op.get("f") in ("read", "final"):
            yield op


def _key(op):
    return (op.get("topic"), op["partition"])


def check(history):
    """Returns {"findings": {kind: [message, ...]}, "stats": {...}, "availability": [...]}."""
    # Each client writes its own file: order the whole history by time (a stable sort keeps each
    # client's own order among equal times). Monotonic clocks are one clock across processes.
    history = sorted(history, key=lambda op: op.get("time", 0.0))
    findings = defaultdict(list)
    invoked = set()
    acked = {}
    outcome = defaultdict(int)
    for op in history:
        if op.get("f") != "send":
            continue
        if op["type"] == "invoke":
            invoked.add(op["value"])
        else:
            outcome[op["type"]] += 1
            if op["type"] == "ok":
                acked[op["value"]] = (_key(op), op["offset"])

    # One (partition, offset) holds one value; one value sits at one offset.
    at = defaultdict(set)
    where = defaultdict(set)
    for op in _reads(history):
        at[(_key(op), op["offset"])].add(op["value"])
        where[op["value"]].add((_key(op), op["offset"]))
    for (tp, offset), values in sorted(at.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        if len(values) > 1:
            findings["inconsistent"].append("%s-%s offset %d read as %s" % (tp[0], tp[1], offset, sorted(values)))
    for value, places in sorted(where.items()):
        if len(places) > 1:
            findings["duplicate"].append("%s at %s" % (value, sorted("%s-%s@%d" % (t[0], t[1], o) for t, o in places)))
        if value not in invoked:
            findings["unexpected"].append("%s read but never sent" % value)

    # What the final read holds, partition by partition.
    final = defaultdict(dict)
    final_ops = 0
    for op in history:
        if op.get("type") == "ok" and op.get("f") == "final":
            final_ops += 1
            final[_key(op)][op["offset"]] = op["value"]
    final_values = {(tp, v) for tp, held in final.items() for v in held.values()}
    for value, (tp, offset) in sorted(acked.items()):
        if offset is None:
            # Acknowledged without an offset (librdkafka reports none for some retried batches
            # of an idempotent producer): it must be in the partition, wherever.
            if (tp, value) not in final_values:
                findings["lost"].append("%s acknowledged (no offset reported) to %s-%s; the final read has it nowhere"
                                        % (value, tp[0], tp[1]))
            continue
        got = final[tp].get(offset)
        if got != value:
            findings["lost"].append("%s acknowledged at %s-%s offset %d; final read has %s" % (
                value, tp[0], tp[1], offset, "nothing there" if got is None else got))

    # The healed cluster could not be read to its end through a node (no quorum left, say).
    for op in history:
        if op.get("type") == "fail" and op.get("f") == "final":
            findings["unreadable"].append("node %s, partition %s: %s" % (op.get("node"), op.get("partition"), op["error"]))

    # A node process that ended without the nemesis killing it did not survive a fault.
    for op in history:
        if op.get("f") == "exited":
            findings["exited"].append(op["value"])

    _check_monotonic(history, findings)
    _check_progress(history, findings)
    _check_metadata(history, findings)
    _check_replicas(history, findings)

    if not acked:
        findings["empty"].append("no write was acknowledged: the run checked nothing")
    if not final_ops:
        findings["empty"].append("no final read: acknowledged writes were never looked for")

    admin = defaultdict(int)
    for op in history:
        if op.get("f") in METADATA_OPS and op.get("type") != "invoke":
            admin[op["type"]] += 1
    stats = {"operations": sum(outcome.values()), "ok": outcome["ok"], "failed": outcome["fail"],
             "unknown": outcome["info"], "reads": sum(1 for _ in _reads(history)),
             "metadata_ok": admin["ok"], "metadata_failed": admin["fail"], "metadata_unknown": admin["info"],
             "replica_checks": sum(1 for op in history if op.get("f") == "replicas"),
             "client_fatal": sum(1 for op in history if op.get("f") == "client-fatal")}
    return {"findings": {k: v for k, v in findings.items() if v}, "stats": stats,
            "availability": availability(history)}


def _check_monotonic(history, findings):
    # A consumer's reads: within one assignment (between two "assign" ops of the same process),
    # each partition's offsets only go up.
    last = {}
    for op in history:
        if op.get("f") == "assign" and op.get("type") == "ok":
            for k in [k for k in last if k[0] == op["process"]]:
                del last[k]
        elif op.get("f") == "read" and op.get("type") == "ok":
            k = (op["process"], _key(op))
            if k in last and op["offset"] <= last[k]:
                findings["non-monotonic"].append("%s read %s-%s offset %d after offset %d in one assignment" % (
                    op["process"], op.get("topic"), op["partition"], op["offset"], last[k]))
            last[k] = op["offset"]
    # A group's committed offsets, in the order the commits were acknowledged, only go up.
    committed = {}
    for op in history:
        if op.get("f") == "commit" and op.get("type") == "ok":
            for p, offset in sorted(op["offsets"].items()):
                k = (op["group"], op.get("topic"), int(p))
                if k in committed and offset < committed[k]:
                    findings["non-monotonic"].append("group %s committed %s-%s offset %d after %d" % (
                        op["group"], op.get("topic"), p, offset, committed[k]))
                committed[k] = offset


def _check_progress(history, findings):
    """The load kept going: see "stalled" above. Judged after the heal only when the history says
    when that was (the run records it once every node is ready again)."""
    for op in history:
        if op.get("f") == "client-exited":
            findings["stalled"].append(op["value"])
    start = history[0].get("time", 0.0) if history else 0.0
    invokes, acked, reads = defaultdict(list), defaultdict(list), defaultdict(list)
    consumers = set()
    for op in history:
        if op.get("f") == "send" and op["type"] == "invoke":
            invokes[op["process"]].append(op["time"])
        elif op.get("f") == "send" and op["type"] == "ok":
            acked[op["process"]].append(op["time"])
        elif op.get("f") in ("assign", "read") and op.get("type") == "ok":
            consumers.add(op["process"])
            if op["f"] == "read":
                reads[op["process"]].append(op["time"])
    last_send = max((t for times in invokes.values() for t in times), default=start)
    for process, times in sorted(invokes.items()):
        for before, after in zip(times, times[1:]):
            if after - before > STALL_S:
                findings["stalled"].append("%s invoked no send from %.1f s to %.1f s of the run (its loop stopped)"
                                           % (process, before - start, after - start))
        if last_send - times[-1] > STALL_S:
            findings["stalled"].append("%s invoked no send after %.1f s of the run, the other producers until %.1f s "
                                       "(its loop stopped)" % (process, times[-1] - start, last_send - start))
    healed = [op["time"] for op in history if op.get("f") == "healed"]
    if not healed:
        return
    healed = healed[-1]

    def last(what, times):
        return "last %s at %.1f s" % (what, max(times) - start) if times else "none %s in the whole run" % what
    for process in sorted(invokes):
        if not any(t > healed for t in acked[process]):
            findings["stalled"].append("%s: no send acknowledged after every fault healed at %.1f s of the run (%s)"
                                       % (process, healed - start, last("acknowledged", acked[process])))
    for process in sorted(consumers):
        if not any(t > healed for t in reads[process]):
            findings["stalled"].append("%s: nothing read after every fault healed at %.1f s of the run (%s)"
                                       % (process, healed - start, last("read", reads[process])))


def _check_metadata(history, findings):
    # Every node's view of who leads each term: one leader per term, cluster-wide.
    leaders = defaultdict(set)
    for op in history:
        if op.get("f") == "status" and op.get("leader"):
            leaders[op["term"]].add(op["leader"])
    for term, ids in sorted(leaders.items()):
        if len(ids) > 1:
            findings["metadata"].append("term %d has leaders %s" % (term, sorted(ids)))
    # What the metadata clients were told, topic by topic, in order: the last acknowledged
    # create / delete says whether the topic must exist; add-partitions how many it has at least.
    expected, partitions = {}, {}
    for op in history:
        if op.get("f") == "delete-topic" and op.get("type") in ("info", "fail") and op["value"] in expected:
            # A delete whose outcome is unknown may have happened; one refused with "unknown
            # topic" says the topic is already gone or not yet visible: either way, no claim.
            if op["type"] == "info" or "nknown topic" in op.get("error", ""):
                expected[op["value"]] = None
            continue
        if op.get("type") != "ok":
            continue
        if op.get("f") == "create-topic":
            expected[op["value"]] = True
            partitions[op["value"]] = op.get("partitions", 1)
        elif op.get("f") == "delete-topic":
            expected[op["value"]] = False
        elif op.get("f") == "create-partitions":
            partitions[op["value"]] = max(partitions.get(op["value"], 0), op["partitions"])
    views = [op for op in history if op.get("f") == "final-metadata"]
    registries = set()
    for v in views:
        if not v.get("ready"):
            findings["metadata"].append("node %s not ready once healed: %s" % (v["node"], v.get("reason", "no reason given")))
        topics = v.get("topics", {})
        topics = topics if isinstance(topics, dict) else {t: None for t in topics}
        missing = sorted(t for t, e in expected.items() if e and t not in topics)
        if missing:
            findings["metadata"].append("node %s does not show acknowledged topics %s" % (v["node"], missing))
        ghosts = sorted(t for t, e in expected.items() if e is False and t in topics)   # None: no claim
        if ghosts:
            findings["metadata"].append("node %s still shows deleted topics %s" % (v["node"], ghosts))
        short = sorted("%s (%s < %d)" % (t, topics[t], n) for t, n in partitions.items()
                       if expected.get(t) and topics.get(t) is not None and topics[t] < n)
        if short:
            findings["metadata"].append("node %s shows fewer partitions than acknowledged: %s" % (v["node"], short))
        registries.add(tuple(sorted(v.get("brokers", ()))))
        # A live, unfenced node names itself, not the metadata leader (kafka/server/ListedBrokers.h).
        if "controller" in v and v["controller"] != v["node"]:
            findings["metadata"].append("node %s names controller %s, not itself, once healed"
                                        % (v["node"], v["controller"]))
    if len(registries) > 1:
        findings["metadata"].append("broker registries differ once healed: %s" % sorted(registries))


def _check_replicas(history, findings):
    """Once healed, every ISR holds all replicas and every replica holds the same batches below the
    high watermark (I3 of the replication notes). One "replicas" op per partition, from the run."""
    for op in history:
        if op.get("f") != "replicas":
            continue
        name = "%s-%s" % (op.get("topic"), op["partition"])
        if not op.get("replicas"):
            findings["replicas"].append("%s: no Metadata named its replicas once healed" % name)
            continue
        if op.get("isr") != op["replicas"] or op.get("leader", -1) <= 0:
            findings["replicas"].append("%s: ISR %s, leader %s once healed; replicas %s" % (
                name, op.get("isr"), op.get("leader"), op["replicas"]))
        if op.get("absent"):
            findings["replicas"].append("%s: replicas %s are on nodes no longer in the cluster" % (name, op["absent"]))
        if op.get("high_watermark") is None:
            findings["replicas"].append("%s: no high watermark once healed (%s)" % (name, op.get("error", "no answer")))
            continue
        logs = {"node %s" % i: [Batch(*b) for b in batches] for i, batches in op.get("logs", {}).items()}
        for problem in replica_differences(logs, op["high_watermark"]):
            findings["replicas"].append("%s: %s" % (name, problem))


def availability(history):
    """Per fault window: sends invoked in it, the share that succeeded, and heal-to-first-success."""
    windows = []
    open_ = {}
    for op in history:
        if op.get("process") == "nemesis":
            if op.get("f") == "start":
                open_[op["fault_id"]] = op
            elif op.get("f") == "stop" and op["fault_id"] in open_:
                start = open_.pop(op["fault_id"])
                windows.append((start["value"], start["time"], op["time"]))
    invokes = {}
    completions = []
    for op in history:
        if op.get("f") != "send":
            continue
        if op["type"] == "invoke":
            invokes[(op["process"], op["value"])] = op["time"]
        else:
            t0 = invokes.get((op["process"], op["value"]))
            if t0 is not None:
                completions.append((t0, op["time"], op["type"]))
    out = []
    for name, start, stop in windows:
        during = [c for c in completions if start <= c[0] < stop]
        ok_in_time = sum(1 for c in during if c[2] == "ok" and c[1] < stop)
        # The sends the fault held up: invoked during it and still waiting at the heal. Recovery
        # is the time from the heal until the first of them succeeded.
        held = [c[1] for c in during if c[1] >= stop and c[2] == "ok"]
        out.append({"fault": name, "start": start, "stop": stop, "sends": len(during),
                    "ok_share": (ok_in_time / len(during)) if during else None,
                    "held": sum(1 for c in during if c[1] >= stop),
                    "recovery_s": (min(held) - stop) if held else None})
    return out


def passed(result):
    return not result["findings"]
