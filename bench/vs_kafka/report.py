"""Rows of Skiff / Kafka figures, the bench goals they are held to, and the table printed and
written (markdown and JSON). A goal is a bench target, not an assertion: the table marks rows."""
import json

# metric kind: (the better direction, the goal for Skiff / Kafka or None)
GOALS = {
    "throughput": ("higher", 1.0),   # msgs/s, at least Kafka's in every row
    "latency": ("lower", 0.5),       # p99, at most half of Kafka's
    "rss": ("lower", 0.25),          # resident memory, at most a quarter
    "start": ("lower", 0.2),         # cold start to first acknowledged produce, at most a fifth
    "cpu": ("lower", None),          # broker CPU seconds per GB produced or consumed: shown, no goal
}


class Row:
    """One comparison: what ran (topology, durability, workload), the metric and both figures
    (detail["not_judged"]: why the row is not held to its goal, shown in the met column).
    kafka and skiff are the figure the ratio is taken of; shown_* (optional) is what the table
    prints instead, e.g. p50 / p99 / p99.9 with the ratio of p99."""

    def __init__(self, topology, durability, workload, metric, kind, kafka, skiff, unit,
                 shown_kafka=None, shown_skiff=None, detail=None):
        self.topology, self.durability, self.workload = topology, durability, workload
        self.metric, self.kind, self.unit = metric, kind, unit
        self.kafka, self.skiff = kafka, skiff
        self.shown_kafka, self.shown_skiff = shown_kafka, shown_skiff
        self.detail = detail or {}

    @property
    def ratio(self):
        if self.kafka is None or self.skiff is None or self.kafka == 0:
            return None
        return self.skiff / self.kafka

    @property
    def goal(self):
        return GOALS[self.kind][1]

    @property
    def met(self):
        """True or False against the goal, None when there is no goal or no ratio."""
        if self.goal is None or self.ratio is None or self.detail.get("not_judged"):
            return None
        return self.ratio >= self.goal if GOALS[self.kind][0] == "higher" else self.ratio <= self.goal

    def cells(self):
        goal = "" if self.goal is None else ("%s %.2fx" % ("≥" if GOALS[self.kind][0] == "higher" else "≤", self.goal))
        return [self.topology, self.durability, self.workload, "%s (%s)" % (self.metric, self.unit),
                self.shown_kafka or _num(self.kafka), self.shown_skiff or _num(self.skiff),
                _ratio(self.ratio), goal,
                self.detail.get("not_judged") or {True: "yes", False: "NO", None: ""}[self.met]]

    def as_dict(self):
        return {"topology": self.topology, "durability": self.durability, "workload": self.workload,
                "metric": self.metric, "unit": self.unit, "kind": self.kind, "kafka": self.kafka,
                "skiff": self.skiff, "ratio": self.ratio, "goal": self.goal,
                "goal_direction": GOALS[self.kind][0], "met": self.met, "detail": self.detail}


def _ratio(r):
    if r is None:
        return "-"
    return ("%.2fx" if r >= 0.1 else "%.3fx") % r


def _num(v):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return "{:,.0f}".format(v)
    if abs(v) >= 10:
        return "%.1f" % v
    return "%.2f" % v


HEADER = ["topology", "durability", "workload", "metric", "Kafka", "Skiff", "Skiff/Kafka", "goal", "met"]


def text_table(rows):
    table = [HEADER] + [r.cells() for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(HEADER))]
    right = {4, 5, 6}
    out = []
    for n, line in enumerate(table):
        out.append("  ".join(c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(line, widths))).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown_table(rows):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def summary(rows):
    judged = [r for r in rows if r.met is not None]
    return "%d of %d rows with a goal meet it" % (sum(1 for r in judged if r.met), len(judged))


def write(rows, meta, json_path, markdown_path):
    with open(json_path, "w") as f:
        json.dump({"meta": meta, "rows": [r.as_dict() for r in rows]}, f, indent=2)
        f.write("\n")
    with open(markdown_path, "w") as f:
        f.write("Skiff / Apache Kafka %s, %s\n\n" % (meta.get("kafka_version", ""), meta.get("when", "")))
        for k, v in meta.items():
            f.write("- %s: %s\n" % (k, v))
        f.write("\n" + markdown_table(rows) + "\n\n" + summary(rows) + "\n")
