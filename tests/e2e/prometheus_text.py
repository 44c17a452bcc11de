"""A strict parser of the Prometheus text exposition format (0.0.4), for checking /metrics.

Raises ValueError on anything a Prometheus server would reject or mis-read: a malformed line, a
sample before its family's TYPE, a TYPE given twice, histogram buckets that are not cumulative or
lack +Inf, a _count that differs from the +Inf bucket, or a counter that is negative.
"""
import math
import re

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
LABEL = r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"'
SAMPLE = re.compile(r"^(%s)(\{(%s(?:,%s)*)?\})? (\S+)$" % (NAME, LABEL, LABEL))
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def _value(text):
    if text in ("+Inf", "-Inf", "NaN"):
        return float(text.replace("Inf", "inf").replace("NaN", "nan"))
    return float(text)


def parse(text):
    """Returns {family: {"type": t, "help": h, "samples": [(name, labels_dict, value)]}}."""
    families = {}
    current = None
    for number, line in enumerate(text.split("\n"), 1):
        if not line:
            continue
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            families.setdefault(name, {"type": None, "help": None, "samples": []})["help"] = line.split(" ", 3)[3] if line.count(" ") >= 3 else ""
            continue
        if line.startswith("# TYPE "):
            parts = line.split(" ")
            if len(parts) != 4 or parts[3] not in TYPES or not re.match("^%s$" % NAME, parts[2]):
                raise ValueError("line %d: bad TYPE line: %r" % (number, line))
            fam = families.setdefault(parts[2], {"type": None, "help": None, "samples": []})
            if fam["type"] is not None:
                raise ValueError("line %d: second TYPE for %s" % (number, parts[2]))
            if fam["samples"]:
                raise ValueError("line %d: TYPE for %s after its samples" % (number, parts[2]))
            fam["type"] = parts[3]
            current = parts[2]
            continue
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise ValueError("line %d: not a sample: %r" % (number, line))
        name = m.group(1)
        labels = dict((k, v) for k, v in re.findall(LABEL, m.group(3) or ""))
        value = _value(m.group(m.lastindex))
        family = name
        for suffix in ("_bucket", "_sum", "_count"):
            if name.endswith(suffix) and name[: -len(suffix)] in families and families[name[: -len(suffix)]]["type"] == "histogram":
                family = name[: -len(suffix)]
        if family not in families or families[family]["type"] is None:
            raise ValueError("line %d: sample %s before a TYPE for it" % (number, name))
        if family != current:
            raise ValueError("line %d: sample of %s interleaved with family %s" % (number, family, current))
        if families[family]["type"] == "counter" and value < 0:
            raise ValueError("line %d: negative counter %s" % (number, name))
        families[family]["samples"].append((name, labels, value))
    for family, fam in families.items():
        if fam["type"] == "histogram":
            _check_histogram(family, fam["samples"])
    return families


def _check_histogram(family, samples):
    series = {}
    for name, labels, value in samples:
        key = tuple(sorted((k, v) for k, v in labels.items() if k != "le"))
        s = series.setdefault(key, {"buckets": [], "sum": None, "count": None})
        if name == family + "_bucket":
            if "le" not in labels:
                raise ValueError("%s bucket without le" % family)
            s["buckets"].append((_value(labels["le"]), value))
        elif name == family + "_sum":
            s["sum"] = value
        elif name == family + "_count":
            s["count"] = value
    for key, s in series.items():
        bounds = [b for b, _ in s["buckets"]]
        if bounds != sorted(bounds) or not bounds or not math.isinf(bounds[-1]):
            raise ValueError("%s%s: buckets unsorted or without +Inf" % (family, key))
        counts = [c for _, c in s["buckets"]]
        if any(b > a for a, b in zip(counts[1:], counts)):
            raise ValueError("%s%s: buckets not cumulative: %s" % (family, key, counts))
        if s["count"] is None or s["sum"] is None or s["count"] != counts[-1]:
            raise ValueError("%s%s: _count %s differs from the +Inf bucket %s (or _sum missing)"
                             % (family, key, s["count"], counts[-1]))
