// wal_bench: WAL append throughput with one sync per append and one per batch of 256 entries (a
// busy Ready), against the disk's raw fdatasync rate measured in the same run. Usage: wal_bench [directory on the disk to measure] [seconds per run]
#include "wal/Wal.h"
#include "metrics/Histogram.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <string>
#include <unistd.h>

using namespace skiff;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void printLatency(const char *what, const metrics::HistogramSnapshot &s)
{
    std::printf("  %-28s p50 %lld us  p99 %lld us  max %lld us  (%llu samples)\n", what, (long long)s.quantile(0.5),
                (long long)s.quantile(0.99), (long long)s.max(), (unsigned long long)s.count());
}

// Baseline: what one thread gets from the disk when every write waits for its own fdatasync.
double rawFdatasyncRate(const std::string &dir, double seconds)
{
    const std::string path = dir + "/raw-fdatasync.bin";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        std::perror("open");
        std::exit(1);
    }
    std::string block(4096, 'x');
    metrics::Histogram latency;
    uint64_t n = 0;
    const auto start = Clock::now();
    while (secondsSince(start) < seconds) {
        const auto t0 = Clock::now();
        if (::pwrite(fd, block.data(), block.size(), off_t((n % 1024) * block.size())) != ssize_t(block.size()) ||
            ::fdatasync(fd) != 0) {
            std::perror("pwrite/fdatasync");
            std::exit(1);
        }
        latency.record(std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - t0).count());
        ++n;
    }
    const double rate = double(n) / secondsSince(start);
    ::close(fd);
    ::unlink(path.c_str());
    std::printf("raw pwrite(4 KiB)+fdatasync: %.0f syncs/s\n", rate);
    printLatency("pwrite+fdatasync latency", latency.snapshot());
    return rate;
}

// What the Ready loop does: append the entries one Ready carries, then one sync() for all of them.
void syncPerBatch(const std::string &dir, size_t entryBytes, size_t batchEntries, double seconds, double rawRate)
{
    std::filesystem::remove_all(dir + "/wal");
    auto opened = wal::Wal::open(dir + "/wal");
    if (!opened) {
        std::fprintf(stderr, "%s\n", opened.status().toString().c_str());
        std::exit(1);
    }
    wal::Wal &w = **opened;
    raft::Entry e;
    e.set_term(1);
    e.set_type(raft::ENTRY_NORMAL);
    e.set_data(std::string(entryBytes, 'd'));
    std::vector<raft::Entry> batch(batchEntries, e);
    uint64_t index = 0;
    const auto start = Clock::now();
    while (secondsSince(start) < seconds) {
        for (raft::Entry &b : batch)
            b.set_index(++index);
        if (Status st = w.append(batch); !st.isOk() || !(st = w.sync()).isOk()) {
            std::fprintf(stderr, "%s\n", st.toString().c_str());
            std::exit(1);
        }
    }
    const double elapsed = secondsSince(start);
    const uint64_t syncs = w.fdatasyncCount();
    std::printf("sync per %zu-entry batch, %zu B entries: %.0f durable appends/s, %.1f MB/s of entry data, %llu "
                "fdatasyncs (%.0f syncs/s = %.0f%% of raw rate)\n",
                batchEntries, entryBytes, double(index) / elapsed, double(index) * double(entryBytes) / elapsed / 1e6,
                (unsigned long long)syncs, double(syncs) / elapsed, 100.0 * double(syncs) / elapsed / rawRate);
    printLatency("WAL fdatasync latency", w.fsyncLatency().snapshot());
    opened = Status(StatusCode::Internal, "closed"); // close before deleting
    std::filesystem::remove_all(dir + "/wal");
}

// For contrast: every append waits for its own sync (no batching across appends).
void syncEachAppend(const std::string &dir, size_t entryBytes, double seconds)
{
    std::filesystem::remove_all(dir + "/wal1");
    auto opened = wal::Wal::open(dir + "/wal1");
    if (!opened)
        std::exit(1);
    raft::Entry e;
    e.set_term(1);
    e.set_type(raft::ENTRY_NORMAL);
    e.set_data(std::string(entryBytes, 'd'));
    uint64_t index = 0;
    const auto start = Clock::now();
    while (secondsSince(start) < seconds) {
        e.set_index(++index);
        if (!(*opened)->append({e}).isOk() || !(*opened)->sync().isOk())
            std::exit(1);
    }
    std::printf("sync per append, %zu B entries: %.0f durable appends/s\n", entryBytes, double(index) / secondsSince(start));
    opened = Status(StatusCode::Internal, "closed");
    std::filesystem::remove_all(dir + "/wal1");
}

} // namespace

int main(int argc, char **argv)
{
    std::string base = argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string();
    const double seconds = argc > 2 ? std::atof(argv[2]) : 3.0;
    char tmpl[4096];
    std::snprintf(tmpl, sizeof tmpl, "%s/wal_bench-XXXXXX", base.c_str());
    if (!::mkdtemp(tmpl)) {
        std::perror("mkdtemp");
        return 1;
    }
    const std::string dir = tmpl;
    std::printf("wal_bench in %s, %.1f s per run\n", dir.c_str(), seconds);
    const double raw = rawFdatasyncRate(dir, seconds);
    for (size_t bytes : {size_t(100), size_t(1024)}) {
        syncEachAppend(dir, bytes, seconds / 3);
        syncPerBatch(dir, bytes, 256, seconds, raw);
    }
    std::filesystem::remove_all(dir);
    return 0;
}
