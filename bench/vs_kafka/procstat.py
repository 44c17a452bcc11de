"""What a broker process costs, read from /proc: resident memory and CPU time, summed over the
processes of one cluster (a Kafka node is one java process, a Skiff node one skiffd)."""
import os
import threading

_TICKS = os.sysconf("SC_CLK_TCK")


def rss_mib(pids):
    """Resident set size of the processes together, MiB (0 for one that is gone)."""
    total_kib = 0
    for pid in pids:
        try:
            with open("/proc/%d/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total_kib += int(line.split()[1])
                        break
        except OSError:
            pass
    return total_kib / 1024


def cpu_seconds(pids):
    """User plus system CPU time of the processes (all their threads) so far, seconds."""
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])   # utime, stime (fields 14 and 15)
        except OSError:
            pass
    return total / _TICKS


class Usage:
    """CPU seconds used and the peak RSS of pids while the with-block runs (RSS sampled every
    interval seconds): `with Usage(pids) as u: ...; u.cpu, u.peak_rss`."""

    def __init__(self, pids, interval=0.2):
        self.pids, self.interval = list(pids), interval
        self.cpu = self.peak_rss = 0.0
        self._stop = threading.Event()

    def _sample(self):
        while not self._stop.wait(self.interval):
            self.peak_rss = max(self.peak_rss, rss_mib(self.pids))

    def __enter__(self):
        self._cpu0 = cpu_seconds(self.pids)
        self.peak_rss = rss_mib(self.pids)
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak_rss = max(self.peak_rss, rss_mib(self.pids))
        self.cpu = cpu_seconds(self.pids) - self._cpu0
