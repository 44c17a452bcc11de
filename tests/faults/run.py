#!/usr/bin/python3
"""A fault run: a cluster in the bed, clients writing and reading, a nemesis, then the checker.

  tests/faults/run.py --nemesis compose --time 600 --seed S [--cycles N] [--nodes 3]
                      [--replication-factor 3 --min-insync 2]

Prints the seed first (replay a run with it), a line per fault as it happens, and a table:
operations, ok, failed, unknown, lost, duplicates, inconsistent, non-monotonic, and availability
and recovery per fault. With a replication factor above 1, once everything is healed the run also
waits for every partition's ISR to hold all its replicas and reads each replica's segment files,
for the checker to compare below the high watermark. A failing run keeps its history, every node's log and data directory
listing, and each node's status at the end in one folder, whose path it prints. Needs root.
"""
import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))   # batch_headers: the replica logs on disk

import batch_headers  # noqa: E402
import bed as bedlib  # noqa: E402
import checker  # noqa: E402
import nemesis as nemesislib  # noqa: E402
from cluster import Cluster, leader_of  # noqa: E402

DISK_MB = 384
ISR_FULL_WAIT_S = 60   # once healed, how long every partition's ISR may take to hold all replicas again
PROGRESS_WAIT_S = 30   # once healed, how long each producer may take to be acknowledged and each consumer to read


class Run:
    def __init__(self, nodes=3, partitions=4, producers=3, consumers=2, rate=60, seed=None,
                 nemeses=("kill",), duration=60, max_faults=1, out=None, verbose=True,
                 replication_factor=1, min_insync=None):
        self.seed = seed if seed is not None else random.SystemRandom().randrange(1 << 31)
        self.rng = random.Random(self.seed)
        self.size, self.partitions = nodes, partitions
        self.replication_factor, self.min_insync = replication_factor, min_insync
        self.producers, self.consumers, self.rate = producers, consumers, rate
        self.nemeses, self.duration, self.max_faults = list(nemeses), duration, max_faults
        self.folder = out or tempfile.mkdtemp(prefix="skiff-faults-")
        self.topic = "queue"
        self.history = []
        self.lock = threading.Lock()
        self.workers = []
        self.exits_recorded = set()
        self.roles = {}   # a worker's history file -> its role (produce, consume, metadata)
        self.verbose = verbose

    def say(self, *args):
        if self.verbose:
            print(*args, flush=True)

    def record(self, op):
        op.setdefault("time", time.monotonic())
        with self.lock:
            self.history.append(op)

    # --- set up ----------------------------------------------------------------------------

    def setup(self):
        self.bed = bedlib.Bed(self.size).create()
        roots = {i: self.bed.small_disk("n%d" % i, DISK_MB) for i in range(1, self.size + 1)}
        self.cluster = Cluster(self.bed, self.size, roots, self.folder)
        self.bed.enter_client_host()
        self.cluster.start()
        stuck = self.cluster.wait_ready(60)
        if stuck:
            raise bedlib.BedError("nodes %s not ready 60 s after start; logs in %s" % (stuck, self.folder))
        from confluent_kafka.admin import AdminClient, NewTopic
        admin = AdminClient({"bootstrap.servers": self.cluster.bootstrap()})
        config = {"min.insync.replicas": str(self.min_insync)} if self.min_insync else {}
        admin.create_topics([NewTopic(self.topic, self.partitions, self.replication_factor, config=config)])[self.topic].result(30)
        self.record({"process": "setup", "type": "ok", "f": "create-topic", "value": self.topic,
                     "replication_factor": self.replication_factor, "min_insync": self.min_insync})

    def partition_leader(self, partition=0):
        from confluent_kafka.admin import AdminClient
        try:
            md = AdminClient({"bootstrap.servers": self.cluster.bootstrap()}).list_topics(self.topic, timeout=3)
            leader = md.topics[self.topic].partitions[partition].leader
            return leader if leader > 0 else None
        except Exception:
            return None

    def start_workers(self):
        for i in range(self.producers):
            self._worker("produce", "p%d" % (i + 1))
        for i in range(self.consumers):
            self._worker("consume", "c%d" % (i + 1))
        self._worker("metadata", "m1", topic="meta")

    def exited_workers(self):
        """Clients that ended before stop_workers() told them to: the load they carried stopped.
        Recorded for the checker ("stalled") with the last lines of the client's own log."""
        for proc, out, log in self.workers:
            if proc.poll() is None or out in self.exits_recorded:
                continue
            self.exits_recorded.add(out)
            log.flush()
            with open(log.name, errors="replace") as f:
                tail = " | ".join(line.strip() for line in f.readlines()[-3:] if line.strip())
            self.record({"process": "run", "type": "info", "f": "client-exited",
                         "value": "client %s exited by itself (code %s): %s" % (
                             os.path.basename(out)[len("history-"):-len(".jsonl")], proc.returncode,
                             tail or "its log is empty")})

    def progressed_since(self, since):
        """True once every producer has a send acknowledged and every consumer a record read
        after `since`, by the clients' history files so far (the checker judges the same)."""
        for proc, out, _ in self.workers:
            want = {"produce": ("send", "ok"), "consume": ("read", "ok")}.get(self.roles.get(out))
            if want is None or proc.poll() is not None:
                continue
            seen = False
            if os.path.exists(out):
                with open(out) as f:
                    for line in f:
                        try:
                            op = json.loads(line)
                        except ValueError:   # the line the client is writing now
                            continue
                        if (op.get("f"), op.get("type")) == want and op.get("time", 0) > since:
                            seen = True
                            break
            if not seen:
                return False
        return True

    def _worker(self, role, wid, topic=None):
        out = os.path.join(self.folder, "history-%s.jsonl" % wid)
        log = open(os.path.join(self.folder, "worker-%s.log" % wid), "w")
        proc = subprocess.Popen([sys.executable, os.path.join(HERE, "worker.py"), role, "--bootstrap",
                                 self.cluster.bootstrap(), "--topic", topic or self.topic, "--id", wid, "--out", out,
                                 "--rate", str(self.rate)], stdout=log, stderr=subprocess.STDOUT)
        self.workers.append((proc, out, log))
        self.roles[out] = role

    def stop_workers(self):
        for proc, _, _ in self.workers:
            proc.send_signal(signal.SIGTERM)
        for proc, out, log in self.workers:
            try:
                proc.wait(40)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()
            if os.path.exists(out):
                with open(out) as f:
                    for line in f:
                        if line.strip():
                            self.history.append(json.loads(line))

    # --- observing -------------------------------------------------------------------------

    def observe(self, stop):
        """Samples every node's view of term and leader (two leaders in one term is a finding)."""
        while not stop.is_set():
            for i, n in list(self.cluster.nodes.items()):   # the membership nemesis changes it
                if n.running() and not n.paused:
                    st = n.status()
                    if st and leader_of(st):
                        self.record({"process": "observer", "type": "ok", "f": "status", "node": i,
                                     "term": st.get("term"), "leader": leader_of(st)})
            stop.wait(0.25)

    # --- the end ---------------------------------------------------------------------------

    def final_read(self):
        """Every partition to its high watermark, through every node (as bootstrap)."""
        from confluent_kafka import Consumer, KafkaException, TopicPartition
        for i, n in self.cluster.nodes.items():
            c = Consumer({"bootstrap.servers": n.bootstrap, "group.id": "final-%d" % i,
                          "enable.auto.commit": False, "auto.offset.reset": "earliest"})
            try:
                for p in range(self.partitions):
                    tp = TopicPartition(self.topic, p)
                    try:
                        low, high = c.get_watermark_offsets(tp, timeout=15)
                    except KafkaException as e:   # a finding (unreadable), not the end of the run
                        self.history.append({"process": "final", "type": "fail", "f": "final", "node": i,
                                             "time": time.monotonic(), "partition": p,
                                             "error": "no high watermark: %s" % e.args[0].str()})
                        continue
                    if high <= low:
                        continue
                    c.assign([TopicPartition(self.topic, p, low)])
                    seen, deadline = low, time.monotonic() + 60
                    while seen < high and time.monotonic() < deadline:
                        for m in c.consume(500, 1.0):
                            if m.error():
                                continue
                            self.history.append({"process": "final", "type": "ok", "f": "final", "node": i,
                                                 "time": time.monotonic(), "topic": m.topic(),
                                                 "partition": m.partition(), "offset": m.offset(),
                                                 "value": m.value().decode()})
                            seen = m.offset() + 1
                    if seen < high:
                        self.history.append({"process": "final", "type": "fail", "f": "final", "node": i,
                                             "time": time.monotonic(), "partition": p,
                                             "error": "read to %d of high watermark %d" % (seen, high)})
            finally:
                c.close()

    def replica_logs(self):
        """Per partition, once the ISR holds every replica again (or ISR_FULL_WAIT_S passed): the
        leader's high watermark and each replica's batches as its segment files hold them, for
        the checker's replica invariant. Only with a replication factor above 1."""
        from confluent_kafka import Consumer, TopicPartition
        from confluent_kafka.admin import AdminClient
        admin = AdminClient({"bootstrap.servers": self.cluster.bootstrap()})
        deadline = time.monotonic() + ISR_FULL_WAIT_S
        pending = set(range(self.partitions))
        parts = {}
        while pending:
            try:
                md = admin.list_topics(self.topic, timeout=5).topics[self.topic].partitions
                for p in list(pending):
                    parts[p] = md[p]
                    if sorted(md[p].isrs) == sorted(md[p].replicas) and md[p].leader > 0:
                        pending.discard(p)
            except Exception as e:   # a Metadata that failed: asked again until the deadline
                self.say("  replica check: Metadata failed: %s" % e)
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        c = Consumer({"bootstrap.servers": self.cluster.bootstrap(), "group.id": "replica-check"})
        try:
            for p in range(self.partitions):
                part = parts.get(p)
                op = {"process": "observer", "type": "ok", "f": "replicas", "time": time.monotonic(),
                      "topic": self.topic, "partition": p, "replicas": sorted(part.replicas) if part else [],
                      "isr": sorted(part.isrs) if part else [], "leader": part.leader if part else -1}
                try:
                    op["high_watermark"] = c.get_watermark_offsets(TopicPartition(self.topic, p), timeout=15)[1]
                except Exception as e:
                    op["high_watermark"], op["error"] = None, str(e)
                op["logs"] = {str(i): [list(b) for b in batch_headers.read_batches(batch_headers.partition_dir(
                                  self.cluster.nodes[i].data_dir, self.topic, p))]
                              for i in op["replicas"] if i in self.cluster.nodes}
                op["absent"] = [i for i in op["replicas"] if i not in self.cluster.nodes]
                self.history.append(op)
        finally:
            c.close()

    def final_metadata(self):
        from confluent_kafka.admin import AdminClient
        for i, n in self.cluster.nodes.items():
            ready, reason = n.ready()
            view = {"process": "observer", "type": "ok", "f": "final-metadata", "node": i,
                    "time": time.monotonic(), "ready": ready, "reason": reason}
            try:
                md = AdminClient({"bootstrap.servers": n.bootstrap}).list_topics(timeout=10)
                view.update(topics={t: len(m.partitions) for t, m in md.topics.items() if not m.error},
                            brokers=sorted(md.brokers), controller=md.controller_id)
            except Exception as e:
                view.update(ready=False, reason="Metadata through node %d failed: %s" % (i, e))
            self.history.append(view)

    def write_history(self):
        with open(os.path.join(self.folder, "history.jsonl"), "w") as f:
            for op in sorted(self.history, key=lambda o: o.get("time", 0)):
                f.write(json.dumps(op) + "\n")

    def keep_evidence(self, result):
        with open(os.path.join(self.folder, "result.json"), "w") as f:
            json.dump(result, f, indent=1)
        for i, n in self.cluster.nodes.items():
            with open(os.path.join(self.folder, "node%d-status.json" % i), "w") as f:
                json.dump(n.status(), f, indent=1)
            try:
                admin = n.skiffctl("--json", "status", timeout=10)
                with open(os.path.join(self.folder, "node%d-admin-status.json" % i), "w") as f:
                    f.write(admin.stdout or admin.stderr)
            except subprocess.TimeoutExpired:
                pass
            with open(os.path.join(self.folder, "node%d-data.txt" % i), "w") as f:
                for root, _, files in os.walk(n.data_dir):
                    for name in sorted(files):
                        p = os.path.join(root, name)
                        f.write("%10d %s\n" % (os.path.getsize(p), os.path.relpath(p, n.data_dir)))

    def execute(self):
        """Runs the whole thing; returns the checker's result (folder kept when it failed)."""
        print("seed %d" % self.seed, flush=True)
        self.say("  nodes %d, nemeses %s, %d s, history and logs in %s" % (
            self.size, ",".join(self.nemeses), self.duration, self.folder))
        stop = threading.Event()
        observer = None
        try:
            self.setup()
            observer = threading.Thread(target=self.observe, args=(stop,), daemon=True)
            observer.start()
            self.start_workers()
            schedule = nemesislib.Schedule(self.nemeses, self.rng, self.record, self.cluster,
                                           partition_leader=self.partition_leader, max_faults=self.max_faults)
            schedule.run(self.duration)
            self.exited_workers()
            # Every fault is healed: a node not running now stopped by itself.
            for i, n in self.cluster.nodes.items():
                if not n.running():
                    self.record({"process": "nemesis", "type": "info", "f": "exited", "node": i,
                                 "value": "node %d exited by itself (code %s)" % (i, n.proc.returncode)})
                    n.start()
            stuck = self.cluster.wait_ready(60)
            healed_at = time.monotonic()
            self.record({"process": "nemesis", "type": "info", "f": "healed", "value": "all healed",
                         "stuck": stuck})
            # Clients see the healed cluster before they stop: each producer acknowledged and each
            # consumer reading again (or PROGRESS_WAIT_S passed: the checker then says who stalled).
            time.sleep(3)
            deadline = healed_at + PROGRESS_WAIT_S
            while not self.progressed_since(healed_at) and time.monotonic() < deadline:
                time.sleep(0.5)
            self.exited_workers()
            self.stop_workers()
            stop.set()
            observer.join()
            self.final_metadata()
            self.final_read()
            if self.replication_factor > 1:
                self.replica_logs()
            self.write_history()   # before the check: evidence even if checking fails
            result = checker.check(self.history)
            result["seed"] = self.seed
            if self.replication_factor > 1:
                result["replication"] = "factor %d, min.insync.replicas %s" % (
                    self.replication_factor, self.min_insync or "default")
            result["healed_ready_s"] = time.monotonic() - healed_at
            self.keep_evidence(result)
            return result
        finally:
            stop.set()
            for proc, _, log in self.workers:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            if hasattr(self, "cluster"):
                self.cluster.close()
            if hasattr(self, "bed"):
                self.bed.close()

    def cleanup(self, result):
        """Removes the evidence of a run that passed (SKIFF_FAULTS_KEEP=1 keeps it)."""
        if result is not None and checker.passed(result) and not os.environ.get("SKIFF_FAULTS_KEEP"):
            shutil.rmtree(self.folder, ignore_errors=True)


def table(result, nemeses):
    s = result["stats"]
    f = result["findings"]
    rows = [("nemeses", ",".join(nemeses)), ("seed", result["seed"])]
    if result.get("replication"):
        rows.append(("replication", "%s; %d partitions' replicas compared" % (result["replication"], s["replica_checks"])))
    rows += [("operations", s["operations"]),
            ("ok", s["ok"]), ("failed", s["failed"]), ("unknown", s["unknown"]), ("reads", s["reads"]),
            ("metadata ops", "%d ok, %d failed, %d unknown" % (s["metadata_ok"], s["metadata_failed"], s["metadata_unknown"])),
            ("client fatal", "%d (producers that went on with a new producer id)" % s["client_fatal"])]
    for kind in checker.FINDING_KINDS:
        rows.append((kind, len(f.get(kind, ()))))
    lines = ["%-14s %s" % r for r in rows]
    lines.append("per fault: %-22s %6s %8s %6s %10s" % ("fault", "sends", "ok", "held", "recovery"))
    for w in result["availability"]:
        lines.append("           %-22s %6d %8s %6d %10s" % (
            w["fault"], w["sends"], "-" if w["ok_share"] is None else "%.0f%%" % (100 * w["ok_share"]), w["held"],
            "-" if w["recovery_s"] is None else "%.1f s" % w["recovery_s"]))
    for kind, msgs in sorted(f.items()):
        for m in msgs[:10]:
            lines.append("FINDING %s: %s" % (kind, m))
        if len(msgs) > 10:
            lines.append("FINDING %s: ... %d more" % (kind, len(msgs) - 10))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nemesis", default="compose",
                    help="compose, or a comma list of: " + ", ".join(nemesislib.KINDS))
    ap.add_argument("--time", type=float, default=60, help="seconds of faults per cycle")
    ap.add_argument("--cycles", type=int, default=1)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--nodes", type=int, default=3)
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--max-faults", type=int, default=None, help="simultaneous faults (compose: 2)")
    ap.add_argument("--replication-factor", type=int, default=1,
                    help="of the topic the producers write (above 1: the checker compares the replicas' logs)")
    ap.add_argument("--min-insync", type=int, default=None, help="the topic's min.insync.replicas (default: the broker's)")
    a = ap.parse_args()
    if a.replication_factor < 1 or a.replication_factor > a.nodes:
        ap.error("--replication-factor must be between 1 and --nodes (%d)" % a.nodes)
    if a.min_insync is not None and not 1 <= a.min_insync <= a.replication_factor:
        ap.error("--min-insync must be between 1 and --replication-factor (%d)" % a.replication_factor)
    try:
        bedlib.require_root()
    except bedlib.BedError as e:
        print(e, file=sys.stderr)
        return 2
    names = nemesislib.KINDS if a.nemesis == "compose" else a.nemesis.split(",")
    max_faults = a.max_faults or (2 if a.nemesis == "compose" else 1)
    seed = a.seed if a.seed is not None else random.SystemRandom().randrange(1 << 31)
    failed = 0
    for cycle in range(a.cycles):
        run = Run(nodes=a.nodes, partitions=a.partitions, seed=seed + cycle, nemeses=names,
                  duration=a.time, max_faults=max_faults, replication_factor=a.replication_factor,
                  min_insync=a.min_insync)
        try:
            result = run.execute()
        except KeyboardInterrupt:
            print("interrupted; evidence in %s" % run.folder)
            return 130
        print(table(result, names))
        if checker.passed(result):
            run.cleanup(result)
        else:
            failed += 1
            print("FAILED: history, logs and status in %s" % run.folder)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
