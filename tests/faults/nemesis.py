"""Faults the bed injects. Each has start() (returns what it did, for the history) and stop()
(heals exactly what start did). A schedule alternates quiet time and faults; `compose` draws
faults at random with at most `max_faults` at a time.
"""
import os
import random
import time

PAUSE_BEYOND_SESSION_S = 2.0   # a paused node stays stopped this long past broker.session.timeout.ms


class Fault:
    name = "fault"
    min_s = 0.0   # the shortest time the fault must last to mean anything

    def start(self):
        raise NotImplementedError

    def stop(self):
        raise NotImplementedError

    def try_stop(self, final):
        """stop(), or None when the heal cannot happen yet and the schedule should try again in a
        moment while it heals the other faults (`final`: the last chance, give an answer)."""
        return self.stop()


class Crash(Fault):
    """kill -9 a node (random, the metadata leader, or the leader of a partition); restart on stop."""
    name = "crash"

    def __init__(self, cluster, rng, target="random", partition_leader=None):
        self.cluster, self.rng, self.target, self.partition_leader = cluster, rng, target, partition_leader

    def pick(self):
        running = [i for i, n in self.cluster.nodes.items() if n.running() and not n.paused]
        if self.target == "leader":
            lid = self.cluster.metadata_leader()
            if lid in running:
                return lid
        if self.target == "partition-leader" and self.partition_leader:
            lid = self.partition_leader()
            if lid in running:
                return lid
        return self.rng.choice(running)

    def start(self):
        self.node = self.pick()
        self.cluster.nodes[self.node].kill9()
        return "kill -9 node %d (%s)" % (self.node, self.target)

    def stop(self):
        node = self.cluster.nodes.get(self.node)
        if node is None:
            return "node %d was removed meanwhile" % self.node
        node.start()
        return "restart node %d" % self.node


class Pause(Fault):
    """SIGSTOP a node past broker.session.timeout.ms, then SIGCONT: the zombie-leader case."""
    name = "pause"

    def __init__(self, cluster, rng, session_timeout_ms=3000, target="random"):
        self.cluster, self.rng, self.target = cluster, rng, target
        self.min_s = session_timeout_ms / 1000.0 + PAUSE_BEYOND_SESSION_S

    def start(self):
        running = [i for i, n in self.cluster.nodes.items() if n.running() and not n.paused]
        lid = self.cluster.metadata_leader() if self.target == "leader" else None
        self.node = lid if lid in running else self.rng.choice(running)
        self.cluster.nodes[self.node].pause()
        return "SIGSTOP node %d" % self.node

    def stop(self):
        node = self.cluster.nodes.get(self.node)
        if node is None:
            return "node %d was removed meanwhile" % self.node
        node.resume()
        return "SIGCONT node %d" % self.node


class Partition(Fault):
    """Cuts links between nodes (the client host always reaches every node):
    isolate: one node from the others; split: a minority from a majority; bridge: two halves that
    both see one node in the middle; one-way: one node stops hearing another."""
    name = "partition"

    def __init__(self, cluster, rng, kind="random"):
        self.cluster, self.rng = cluster, rng
        self.kind = kind if kind != "random" else rng.choice(["isolate", "split", "bridge", "one-way"])

    def start(self):
        ids = sorted(self.cluster.nodes)
        self.rng.shuffle(ids)
        cuts = []
        if self.kind == "isolate":
            cuts = [(ids[0], o) for o in ids[1:]]
        elif self.kind == "split":
            minority, majority = ids[:len(ids) // 2], ids[len(ids) // 2:]
            cuts = [(a, b) for a in minority for b in majority]
        elif self.kind == "bridge":
            middle, rest = ids[0], ids[1:]
            left, right = rest[:len(rest) // 2], rest[len(rest) // 2:]
            cuts = [(a, b) for a in left for b in right]
        elif self.kind == "one-way":
            self.pairs = [(ids[0], ids[1])]   # ids[0] no longer hears ids[1]
            self.cluster.bed.cut(ids[0], ids[1])
            return "one-way: node %d stops hearing node %d" % (ids[0], ids[1])
        self.pairs = cuts
        for a, b in cuts:
            self.cluster.bed.cut(a, b)
            self.cluster.bed.cut(b, a)
        return "%s: cut %s" % (self.kind, ", ".join("%d|%d" % p for p in cuts))

    def stop(self):
        self.cluster.bed.heal_cuts(sorted({x for p in self.pairs for x in p} & set(self.cluster.nodes)))
        return "heal %s" % self.kind


class SlowLink(Fault):
    name = "slow"

    def __init__(self, cluster, rng):
        self.cluster, self.rng = cluster, rng

    def start(self):
        self.node = self.rng.choice(sorted(self.cluster.nodes))
        return "node %d link: %s" % (self.node, self.cluster.bed.slow_link(self.node))

    def stop(self):
        self.cluster.bed.heal_slow(self.node)
        return "node %d link restored" % self.node


class DiskFull(Fault):
    """Fills the filesystem under a node's data directory, then frees it."""
    name = "disk-full"

    def __init__(self, cluster, rng, target="random", partition_leader=None):
        self.cluster, self.rng, self.target, self.partition_leader = cluster, rng, target, partition_leader

    def start(self):
        running = sorted(i for i, n in self.cluster.nodes.items() if n.running())
        lid = self.partition_leader() if self.target == "partition-leader" and self.partition_leader else None
        self.node = lid if lid in running else self.rng.choice(running)
        disk = os.path.dirname(self.cluster.nodes[self.node].data_dir)
        self.filler = os.path.join(disk, "filler")
        written = self.cluster.bed.fill(self.filler)
        return "disk of node %d full (%d MiB filler)" % (self.node, written >> 20)

    def stop(self):
        try:
            os.unlink(self.filler)
        except FileNotFoundError:
            pass
        return "disk of node %d freed" % self.node


class Membership(Fault):
    """Adds a node with --join under load, and removes it again with skiffctl remove-node."""
    name = "membership"
    min_s = 3.0

    def __init__(self, cluster, rng):
        self.cluster, self.rng = cluster, rng
        self.removal_proposed = False

    def start(self):
        n = len(self.cluster.nodes) + len(self.cluster.removed) + 1
        root = self.cluster.bed.small_disk("n%d" % n, 128)
        self.node = self.cluster.join_node(root).id
        return "node %d joins" % self.node

    def stop(self):
        return self.try_stop(final=True)

    def try_stop(self, final):
        # A removal refused (no leader during an election, no quorum while another fault runs)
        # is tried again: stopping a node that is still a voter would shrink the quorum for good.
        # While it is refused the schedule heals the other faults (a split may be what keeps the
        # quorum away); only the final heal, with every other fault healed, waits here.
        deadline = time.monotonic() + (60 if final else 0)
        while True:
            r = self.cluster.remove_node(self.node, timeout_ms=10000 if final else 3000)
            if r.returncode == 0:
                self.cluster.retire(self.node)
                return "node %d removed" % self.node
            # "not a member" before any removal was proposed: its join is still on the way and
            # may commit later, so it is not stopped either (it would come back as a voter that
            # never answers). After a removal that timed out: that removal committed.
            out = (r.stderr or r.stdout)
            if "is not a member" in out and self.removal_proposed:
                self.cluster.retire(self.node)
                return "node %d removed (an earlier, timed-out removal committed)" % self.node
            if "within" in out or "time" in out.lower():   # sent, unanswered: it may yet commit
                self.removal_proposed = True
            if time.monotonic() > deadline:
                break
            time.sleep(1)
        if not final:
            return None
        return "node %d not removed, kept running: %s" % (self.node, (r.stderr or r.stdout).strip())


def make(name, cluster, rng, partition_leader=None, session_timeout_ms=3000):
    """A fresh fault of the named kind (kill, kill-leader, kill-partition-leader, pause,
    pause-leader, partition, isolate, split, bridge, one-way, slow, disk-full, membership)."""
    if name == "kill":
        return Crash(cluster, rng)
    if name == "kill-leader":
        return Crash(cluster, rng, "leader")
    if name == "kill-partition-leader":
        return Crash(cluster, rng, "partition-leader", partition_leader)
    if name == "pause":
        return Pause(cluster, rng, session_timeout_ms)
    if name == "pause-leader":
        return Pause(cluster, rng, session_timeout_ms, "leader")
    if name in ("partition", "isolate", "split", "bridge", "one-way"):
        return Partition(cluster, rng, "random" if name == "partition" else name)
    if name == "slow":
        return SlowLink(cluster, rng)
    if name == "disk-full":
        return DiskFull(cluster, rng, "partition-leader", partition_leader)
    if name == "membership":
        return Membership(cluster, rng)
    raise ValueError("unknown nemesis %r" % name)


def kind_of(name):
    """The fault class a nemesis name makes."""
    if name.startswith("kill"):
        return Crash
    if name.startswith("pause"):
        return Pause
    if name in ("partition", "isolate", "split", "bridge", "one-way"):
        return Partition
    return {"slow": SlowLink, "disk-full": DiskFull, "membership": Membership}[name]


KINDS = ["kill", "kill-leader", "kill-partition-leader", "pause", "pause-leader", "isolate", "split",
         "bridge", "one-way", "slow", "disk-full", "membership"]


class Schedule:
    """Runs faults for `duration` seconds: quiet, fault, heal, quiet, ... Every start and stop is
    recorded in the history with a fault id, so the checker can cut availability per fault."""

    def __init__(self, names, rng, record, cluster, partition_leader=None, quiet_s=(2, 4),
                 fault_s=(4, 8), max_faults=1, session_timeout_ms=3000):
        self.names, self.rng, self.record, self.cluster = names, rng, record, cluster
        self.partition_leader = partition_leader
        self.quiet_s, self.fault_s, self.max_faults = quiet_s, fault_s, max_faults
        self.session_timeout_ms = session_timeout_ms
        self.active = []   # (fault, id, until)
        self.next_id = 1

    def _start_one(self, now):
        # Two faults of one kind at once would undo each other (one heal flushes both's cuts,
        # one disk filler, one qdisc per link): draw among the kinds not running.
        running = {type(f) for f, *_ in self.active}
        names = [n for n in self.names if kind_of(n) not in running]
        if not names:
            return
        name = self.rng.choice(names)
        fault = make(name, self.cluster, self.rng, self.partition_leader, self.session_timeout_ms)
        what = fault.start()
        fid = self.next_id
        self.next_id += 1
        self.record({"process": "nemesis", "type": "info", "f": "start", "value": name, "what": what, "fault_id": fid})
        print("  %6.1fs  fault %d start: %s" % (now - self.t0, fid, what), flush=True)
        self.active.append((fault, fid, name, now + max(fault.min_s, self.rng.uniform(*self.fault_s))))

    def _stop(self, entry, now, final=False):
        fault, fid, name, _ = entry
        what = fault.try_stop(final)
        if what is None:   # not yet: heal the others, try again in a moment
            self.active[self.active.index(entry)] = (fault, fid, name, now + self.RETRY_S)
            return
        self.record({"process": "nemesis", "type": "info", "f": "stop", "value": name, "what": what, "fault_id": fid})
        print("  %6.1fs  fault %d stop: %s" % (now - self.t0, fid, what), flush=True)
        self.active.remove(entry)

    RETRY_S = 2.0   # a heal that could not happen yet is tried again after this

    def run(self, duration):
        self.t0 = time.monotonic()
        end = self.t0 + duration
        next_start = self.t0 + self.rng.uniform(*self.quiet_s)
        while True:
            now = time.monotonic()
            # Faults with a plain heal first: a refused membership removal may wait for them.
            due = sorted((e for e in self.active if e[3] <= now), key=lambda e: isinstance(e[0], Membership))
            for entry in due:
                self._stop(entry, now)
            if now >= end:
                break
            if now >= next_start and len(self.active) < self.max_faults:
                self._start_one(now)
                next_start = now + self.rng.uniform(*self.quiet_s) + (0 if self.max_faults > 1 else self.fault_s[0])
            time.sleep(0.05)
        self.heal_all()

    def heal_all(self):
        now = time.monotonic()
        for entry in sorted(self.active, key=lambda e: isinstance(e[0], Membership)):
            self._stop(entry, now, final=True)
