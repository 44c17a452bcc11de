"""Samples one process's CPU time and RSS from /proc every INTERVAL seconds until it exits, then
prints the figures bench/dashboard.sh reports.   usage: dashboard_sample.py PID [INTERVAL]"""
import os
import sys
import time

pid = int(sys.argv[1])
interval = float(sys.argv[2]) if len(sys.argv) > 2 else 5.0
ticks = os.sysconf("SC_CLK_TCK")


def sample():
    """(cpu seconds, RSS KiB), or None once the process is gone (or a zombie)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
        with open("/proc/%d/status" % pid) as f:
            status = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()   # after "pid (comm) "; fields[0] is the state
    if fields[0] == "Z":
        return None
    rss = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), None)
    if rss is None:
        return None
    return (int(fields[11]) + int(fields[12])) / ticks, rss   # utime + stime


start = time.monotonic()
samples = []   # (seconds since start, cpu seconds, RSS KiB)
try:
    while True:
        s = sample()
        if s is None:
            break
        samples.append((time.monotonic() - start, s[0], s[1]))
        next_at = start + len(samples) * interval
        while time.monotonic() < next_at and os.path.exists("/proc/%d" % pid):
            time.sleep(min(0.2, max(0.0, next_at - time.monotonic())))
except KeyboardInterrupt:
    sys.exit(130)

if len(samples) < 4:
    sys.exit("process %d exited after %d samples: too short to measure" % (pid, len(samples)))


def at(t):
    """The first sample at or after t seconds (the last one if none)."""
    return next((s for s in samples if s[0] >= t), samples[-1])


mib = 1024.0
t0, c0, _ = at(10)
t1, c1, rss_end = samples[-1]
cpu = 100.0 * (c1 - c0) / (t1 - t0) if t1 > t0 else float("nan")
_, _, rss30 = at(30)


def growth_per_hour(points):
    """MiB per hour, least-squares slope of RSS over time."""
    n = len(points)
    if n < 2:
        return float("nan")
    mt = sum(s[0] for s in points) / n
    mr = sum(s[2] for s in points) / n
    var = sum((s[0] - mt) ** 2 for s in points)
    return sum((s[0] - mt) * (s[2] - mr) for s in points) / var * 3600 / mib if var > 0 else float("nan")


late = [s for s in samples if s[0] >= 30]
growth = growth_per_hour(late)
second_half = [s for s in samples if s[0] >= t1 / 2]
cpu_late = 100.0 * (c1 - second_half[0][1]) / (t1 - second_half[0][0]) if len(second_half) >= 2 else float("nan")
print("samples: %d over %.0f s (every %g s)" % (len(samples), t1, interval))
print("CPU: %.1f%% of one core on average from %.0f s to %.0f s (%.1f s CPU); %.1f%% over the second half" % (
    cpu, t0, t1, c1 - c0, cpu_late))
print("RSS at 30 s: %.1f MiB; at the end: %.1f MiB; max: %.1f MiB" % (rss30 / mib, rss_end / mib, max(s[2] for s in samples) / mib))
print("RSS growth: %+.1f MiB per hour (linear fit over %d samples after 30 s)" % (growth, len(late)))
# The history rings are allocated up front but the drawn series fill for the charts' 2-minute
# window: the second half says more about a leak than the whole run does.
print("RSS growth over the second half: %+.1f MiB per hour (%d samples from %.0f s)" % (
    growth_per_hour(second_half), len(second_half), second_half[0][0] if second_half else float("nan")))
