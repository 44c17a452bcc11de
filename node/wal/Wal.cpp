#include "wal/Wal.h"

#include "wal/SegmentFile.h"
#include "wal/WalLog.h"
#include "wal/WalRecord.h"
#include "wal/WalRecovery.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>
#include <utility>

namespace skiff::wal {

namespace {
std::string idx(uint64_t i) { return std::to_string(i); }
} // namespace

Wal::Wal(std::string dir, WalOptions options) : m_dir(std::move(dir)), m_options(std::move(options)) {}

Wal::~Wal()
{
    if (m_lockFd >= 0)
        ::close(m_lockFd); // releases the flock
}

Result<std::unique_ptr<Wal>> Wal::open(const std::string &dir, WalOptions options)
{
    if (options.segmentBytes == 0)
        return invalidArgument("WAL segment size must be > 0");
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return ioError("creating WAL directory " + dir + ": " + ec.message());

    // Two processes appending to one WAL would interleave records: refuse the second.
    const int lockFd = ::open((dir + "/LOCK").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (lockFd < 0)
        return ioErrorFromErrno("creating WAL lock file " + dir + "/LOCK");
    if (::flock(lockFd, LOCK_EX | LOCK_NB) != 0) {
        Status st = ioErrorFromErrno("locking WAL directory " + dir + " (is another node process using it?)");
        ::close(lockFd);
        return st;
    }

    auto recovered = WalRecovery::run(dir);
    if (!recovered) {
        ::close(lockFd);
        return recovered.status();
    }
    RecoveryResult &r = *recovered;

    std::unique_ptr<Wal> wal(new Wal(dir, std::move(options)));
    wal->m_lockFd = lockFd;
    wal->m_terms = r.terms;
    wal->m_hardState = r.state.hardState;
    wal->m_hasHardState = r.hasHardState;
    wal->m_snapshot = r.state.snapshot;
    wal->m_segments = std::move(r.segments);
    wal->m_recovered = std::move(r.state);

    if (wal->m_segments.empty()) {
        SKIFF_RETURN_IF_ERROR(wal->startSegment(wal->m_terms.last() + 1));
    } else {
        auto file = SegmentFile::openExisting(wal->m_segments.back().path);
        if (!file)
            return file.status();
        wal->m_active = std::move(*file);
        wal->m_activeBytes = r.lastSegmentBytes;
        wal->m_activePreambleEnd = r.lastSegmentPreambleEnd;
    }
    // What we recovered may sit only in the page cache (a previous process died, the OS did
    // not): make it durable so durableIndex() can start at lastIndex().
    SKIFF_RETURN_IF_ERROR(wal->m_active->datasync());
    SKIFF_RETURN_IF_ERROR(SegmentFile::syncDirectory(dir));
    wal->m_syncedSeq = wal->m_writtenSeq;
    wal->m_durable.store(wal->m_terms.last(), std::memory_order_release);
    return wal;
}

RecoveredState Wal::takeRecovered() { return std::exchange(m_recovered, RecoveredState{}); }

Status Wal::usable() const { return m_failure; }

Status Wal::datasyncActive()
{
    const auto start = std::chrono::steady_clock::now();
    Status st = m_active->datasync();
    m_fsyncLatency.record(std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
    if (!st.isOk())
        return m_failure = st.withContext("the WAL is unusable; restart the node to recover from disk");
    return Status::ok();
}

void Wal::lowerDurable(uint64_t keptIndex)
{
    if (m_durable.load(std::memory_order_relaxed) > keptIndex)
        m_durable.store(keptIndex, std::memory_order_release);
}

void Wal::encodePreamble(std::string &out) const
{
    // Carried into every new segment so that compaction can delete older ones without losing
    // the latest hard state or snapshot marker.
    if (m_hasHardState)
        appendRecord(out, RecordType::HardState, m_hardState.SerializeAsString());
    if (m_snapshot)
        appendRecord(out, RecordType::SnapshotMarker, m_snapshot->SerializeAsString());
}

Status Wal::startSegment(uint64_t nameIndex)
{
    const std::string path = m_dir + "/" + SegmentFile::fileName(nameIndex);
    auto file = SegmentFile::create(path);
    if (!file)
        return isDiskFull(file.status()) ? file.status() : (m_failure = file.status());
    std::string bytes;
    appendRecord(bytes, RecordType::SegmentHeader, encodeSegmentHeader(m_terms.last() + 1));
    encodePreamble(bytes);
    if (Status st = (*file)->writeAt(0, bytes); !st.isOk()) {
        // Not a segment yet (its name is not durable, nothing refers to it): gone, the old one
        // stays active, and the next write tries to roll again.
        if (isDiskFull(st) && ::unlink(path.c_str()) == 0)
            return st;
        return m_failure = st;
    }
    // The new name must be durable before any fdatasync of its content counts as durable.
    if (Status st = SegmentFile::syncDirectory(m_dir); !st.isOk())
        return m_failure = st;
    SegmentInfo info;
    info.nameIndex = nameIndex;
    info.firstIndex = m_terms.last() + 1;
    info.path = path;
    m_segments.push_back(std::move(info));
    m_active = std::move(*file);
    m_activeBytes = m_activePreambleEnd = bytes.size();
    m_writtenSeq += bytes.size();
    return Status::ok();
}

Status Wal::rollIfNeeded(size_t nextWriteBytes)
{
    if (m_activeBytes <= m_activePreambleEnd || m_activeBytes + nextWriteBytes <= m_options.segmentBytes)
        return Status::ok();
    // Finish the old segment durably before the next one exists: recovery then never meets a
    // torn segment that is not the last one.
    SKIFF_RETURN_IF_ERROR(datasyncActive());
    // Names stay ascending even when a truncation moved lastIndex behind the previous segment's start.
    const uint64_t name = std::max(m_terms.last() + 1, m_segments.back().nameIndex + 1);
    return startSegment(name);
}

Status Wal::write(const std::string &bytes)
{
    if (Status st = m_active->writeAt(m_activeBytes, bytes); !st.isOk()) {
        // Disk full: cut what part of the record got written (a shrink needs no space), so the
        // segment ends where it did and the same write can be retried; nothing changed in memory.
        if (isDiskFull(st) && m_active->truncate(m_activeBytes).isOk())
            return st;
        return m_failure = st.withContext("the WAL is unusable; restart the node to recover from disk");
    }
    m_activeBytes += bytes.size();
    m_writtenSeq += bytes.size();
    return Status::ok();
}

Status Wal::append(const std::vector<raft::Entry> &entries, const raft::HardState *hardState)
{
    SKIFF_RETURN_IF_ERROR(usable());
    if (entries.empty() && !hardState)
        return Status::ok();

    std::string bytes;
    bool truncates = false;
    if (!entries.empty()) {
        const uint64_t first = entries.front().index();
        if (first == 0)
            return invalidArgument("WAL append: entry index 0 is not a valid Raft index");
        if (first <= m_terms.base())
            return failedPrecondition("WAL append: entry " + idx(first) + " is covered by the snapshot at index " +
                                      idx(m_terms.base()) + " and cannot be overwritten");
        if (first > m_terms.last() + 1)
            return invalidArgument("WAL append: entry " + idx(first) + " leaves a gap after last index " + idx(m_terms.last()));
        uint64_t prevTerm = m_terms.termAt(first - 1).value_or(
            m_snapshot && m_snapshot->index() == first - 1 ? m_snapshot->term() : 0);
        for (size_t i = 0; i < entries.size(); ++i) {
            const raft::Entry &e = entries[i];
            if (e.index() != first + i)
                return invalidArgument("WAL append: entry " + idx(e.index()) + " at position " + idx(i) +
                                       " of a batch starting at " + idx(first) + " (batches must be contiguous)");
            if (e.term() < prevTerm)
                return invalidArgument("WAL append: entry " + idx(e.index()) + " has term " + idx(e.term()) +
                                       " below the previous entry's term " + idx(prevTerm));
            if (e.type() == raft::ENTRY_UNSPECIFIED)
                return invalidArgument("WAL append: entry " + idx(e.index()) + " has no type");
            prevTerm = e.term();
        }
        truncates = first <= m_terms.last();
        if (truncates)
            appendRecord(bytes, RecordType::Truncate, encodeU64(first));
        std::string payload;
        for (const raft::Entry &e : entries) {
            e.SerializeToString(&payload);
            appendRecord(bytes, RecordType::Entry, payload);
        }
    }
    if (hardState)
        appendRecord(bytes, RecordType::HardState, hardState->SerializeAsString());

    SKIFF_RETURN_IF_ERROR(rollIfNeeded(bytes.size()));
    if (truncates)
        lowerDurable(entries.front().index() - 1);
    SKIFF_RETURN_IF_ERROR(write(bytes));

    if (truncates) {
        m_terms.truncateFrom(entries.front().index());
        m_segments.back().minTruncation = std::min(m_segments.back().minTruncation, entries.front().index());
    }
    for (const raft::Entry &e : entries)
        m_terms.append(e.index(), e.term());
    if (hardState) {
        m_hardState = *hardState;
        m_hasHardState = true;
    }
    return Status::ok();
}

Status Wal::saveSnapshotMarker(const raft::SnapshotMetadata &meta)
{
    SKIFF_RETURN_IF_ERROR(usable());
    const uint64_t index = meta.index();
    if (index == 0)
        return invalidArgument("WAL snapshot marker: index 0 is not a valid snapshot index");
    if (m_snapshot && index < m_snapshot->index())
        return failedPrecondition("WAL snapshot marker at " + idx(index) + " is older than the saved one at " +
                                  idx(m_snapshot->index()));
    // Raft keeps the entries after a snapshot only if the log agrees on the snapshot's entry.
    const uint64_t base = m_terms.base();
    const bool discard = index > base && index <= m_terms.last() && m_terms.termAt(index) != meta.term();
    std::string bytes;
    if (discard)
        appendRecord(bytes, RecordType::Truncate, encodeU64(base + 1));
    appendRecord(bytes, RecordType::SnapshotMarker, meta.SerializeAsString());

    SKIFF_RETURN_IF_ERROR(rollIfNeeded(bytes.size()));
    if (discard)
        lowerDurable(base);
    SKIFF_RETURN_IF_ERROR(write(bytes));
    if (discard) {
        m_terms.truncateFrom(base + 1);
        m_segments.back().minTruncation = std::min(m_segments.back().minTruncation, base + 1);
    }
    m_terms.compactThrough(index);
    m_snapshot = meta;
    return Status::ok();
}

Status Wal::compact(uint64_t snapshotIndex, size_t *deletedSegments)
{
    if (deletedSegments)
        *deletedSegments = 0;
    SKIFF_RETURN_IF_ERROR(usable());
    if (!m_snapshot || snapshotIndex > m_snapshot->index())
        return failedPrecondition("WAL compact(" + idx(snapshotIndex) + "): the saved snapshot marker is at " +
                                  idx(m_snapshot ? m_snapshot->index() : 0) + "; save the marker first");
    // Segments 0..k may go if replaying from segment k+1 yields the same log: every entry they
    // hold is <= snapshotIndex, and no later Truncate reaches back before segment k+1.
    const size_t n = m_segments.size();
    std::vector<uint64_t> suffixMinTruncation(n + 1, UINT64_MAX);
    for (size_t j = n; j-- > 0;)
        suffixMinTruncation[j] = std::min(suffixMinTruncation[j + 1], m_segments[j].minTruncation);
    size_t deleteCount = 0;
    for (size_t k = 0; k + 1 < n; ++k) {
        const SegmentInfo &next = m_segments[k + 1];
        if (next.firstIndex - 1 <= snapshotIndex && suffixMinTruncation[k + 1] >= next.firstIndex)
            deleteCount = k + 1;
    }
    if (deleteCount == 0)
        return Status::ok();
    // The snapshot marker (and the carried-over state of the first kept segment) must be on disk
    // before the segments it replaces disappear, or a crash would leave a log with a hole.
    SKIFF_RETURN_IF_ERROR(datasyncActive());
    // Oldest first, each deletion durable before the next: a crash leaves a suffix of segments.
    for (size_t i = 0; i < deleteCount; ++i) {
        if (::unlink(m_segments.front().path.c_str()) != 0 && errno != ENOENT)
            return ioErrorFromErrno("deleting compacted WAL segment " + m_segments.front().path);
        m_segments.erase(m_segments.begin());
        SKIFF_RETURN_IF_ERROR(SegmentFile::syncDirectory(m_dir));
        if (deletedSegments)
            ++*deletedSegments;
    }
    qCDebug(lcWal, "WAL %s: compacted %zu segments below snapshot index %llu", m_dir.c_str(), deleteCount,
                static_cast<unsigned long long>(snapshotIndex));
    return Status::ok();
}

Status Wal::sync()
{
    SKIFF_RETURN_IF_ERROR(usable());
    if (m_writtenSeq == m_syncedSeq)
        return Status::ok(); // nothing written since the last fdatasync
    SKIFF_RETURN_IF_ERROR(datasyncActive());
    m_syncedSeq = m_writtenSeq;
    m_durable.store(m_terms.last(), std::memory_order_release);
    return Status::ok();
}

} // namespace skiff::wal
