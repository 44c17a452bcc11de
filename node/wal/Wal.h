#pragma once
// Write-ahead log the Raft node persists entries, hard state and snapshot markers to.
//
// Directory layout: segment files "<20-digit index>.wal" (see SegmentInfo for the name), each
// starting with a header record and the then-current hard state and snapshot marker, followed
// by Entry / HardState / SnapshotMarker / Truncate records (framing in WalRecord.h). A segment
// is rolled once it would grow past WalOptions::segmentBytes. Nothing is ever rewritten in place:
// a conflicting suffix is removed by a Truncate record, so recovery replays the logical log.
//
// Threads
//   One owner thread (the Raft Ready loop) calls everything not listed below: append,
//   saveSnapshotMarker, compact, sync, firstIndex, lastIndex, term, snapshotMarker, takeRecovered,
//   segmentCount. The WAL has no thread and no lock of its own. durableIndex(), fsyncLatency()
//   and fdatasyncCount() may be called from any thread.
//
// Durability: append() only writes (page cache). sync() runs fdatasync on the owner's thread when
// anything was written since the last one; when it returns ok, every entry, hard state and marker
// written before it is on disk. durableIndex() is the highest index such that entries
// firstIndex()..durableIndex() of the CURRENT log are on disk (it drops when a truncation
// replaces entries that were durable).
//
// Why fdatasync inline, and no syncer thread: the WAL has one writer, the Ready loop, and that
// loop must not send the messages that vouch for a Ready's entries, nor apply them, before they
// are durable, so it waits for every sync. A group-commit thread only groups requests that arrive
// while a sync runs; with one requester that waits for each, there is never a second request to
// group, and the thread cost a hand-off, a lock and a wake-up per sync for nothing. The WAL's
// batching is Raft's own: one Ready carries every entry proposed since the last one, and one
// fdatasync covers them all. Asynchronous persistence (etcd-raft's AsyncStorageWrites: send and
// apply while the write runs, advance when it completes) would overlap the fdatasync with the
// network round trip; it needs the Raft core's storage-completion messages and a thread, and the
// metadata log is small, so it waits until skiff_ready_loop_phase_seconds{phase="persist"} shows
// it matters. The partition logs differ: many producers wait at once, and their GroupCommitter
// (node/log) does group them.
//
// Errors: a write refused because the filesystem is full (ENOSPC, EDQUOT) returns Unavailable
// (isDiskFull) and changes nothing: the partial bytes are cut and the same call may be retried
// once space returns. Any other failed write, and any failed fdatasync (the page cache state is
// then unknown), makes the WAL unusable: every later call returns the error; the node must
// restart and recover from what is on disk.

#include "common/Status.h"
#include "metrics/Histogram.h"
#include "raft.pb.h"
#include "wal/RecoveredState.h"
#include "wal/SegmentInfo.h"
#include "wal/TermIndex.h"
#include "wal/WalOptions.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace skiff::wal {

class SegmentFile;

class Wal {
public:
    // Creates dir if needed, takes an exclusive flock on <dir>/LOCK, recovers (cutting a torn tail of the last segment), makes the recovered
    // state durable. Corruption anywhere else fails with a message
    // naming file, byte offset and entry index.
    static Result<std::unique_ptr<Wal>> open(const std::string &dir, WalOptions options = {});
    ~Wal(); // releases the directory lock

    Wal(const Wal &) = delete;
    Wal &operator=(const Wal &) = delete;

    // What open() found; moves it out (later calls return an empty state).
    RecoveredState takeRecovered();

    // Appends entries (contiguous; the first may be <= lastIndex(), which first removes the
    // conflicting suffix from that index on) and then, if given, the hard state. No sync.
    // InvalidArgument for a gap or non-contiguous batch, FailedPrecondition for overwriting
    // entries covered by the snapshot.
    Status append(const std::vector<raft::Entry> &entries, const raft::HardState *hardState = nullptr);

    // Records that the caller stored a snapshot at meta.index(). If the log holds meta.index() with
    // meta.term(), later entries are kept; otherwise the whole log is discarded (as Raft does when
    // restoring a snapshot) and the next append must be meta.index() + 1. No sync.
    Status saveSnapshotMarker(const raft::SnapshotMetadata &meta);

    // Deletes the oldest whole segments whose entries are all <= snapshotIndex (which must be
    // <= the saved snapshot marker's index). Never deletes the active segment. Returns how many
    // segment files were deleted through deletedSegments if non-null.
    Status compact(uint64_t snapshotIndex, size_t *deletedSegments = nullptr);

    // Makes everything written so far durable: one fdatasync of the active segment, on this
    // thread, or none when nothing was written since the last one. A failed fdatasync makes the
    // WAL unusable (the page cache state is unknown, so it is never retried).
    Status sync();

    uint64_t firstIndex() const { return m_terms.base() + 1; }
    uint64_t lastIndex() const { return m_terms.last(); } // == firstIndex() - 1 when empty
    std::optional<uint64_t> term(uint64_t index) const { return m_terms.termAt(index); }
    std::optional<raft::SnapshotMetadata> snapshotMarker() const { return m_snapshot; }
    uint64_t durableIndex() const { return m_durable.load(std::memory_order_acquire); }

    metrics::Histogram &fsyncLatency() { return m_fsyncLatency; }
    uint64_t fdatasyncCount() const { return m_fsyncLatency.snapshot().count(); }
    size_t segmentCount() const { return m_segments.size(); }
    const std::string &directory() const { return m_dir; }

private:
    Wal(std::string dir, WalOptions options);
    Status usable() const;
    Status startSegment(uint64_t nameIndex);
    Status rollIfNeeded(size_t nextWriteBytes);
    Status write(const std::string &bytes);
    // fdatasync of the active segment, timed into m_fsyncLatency; a failure makes the WAL unusable.
    Status datasyncActive();
    // Before writing a truncation that replaces the entries above keptIndex: they stop being durable.
    void lowerDurable(uint64_t keptIndex);
    void encodePreamble(std::string &out) const;

    std::string m_dir;
    WalOptions m_options;
    metrics::Histogram m_fsyncLatency;
    std::atomic<uint64_t> m_durable{0}; // written by the owner only; read from any thread

    // Owner thread only.
    RecoveredState m_recovered;
    TermIndex m_terms;
    raft::HardState m_hardState;
    bool m_hasHardState = false;
    std::optional<raft::SnapshotMetadata> m_snapshot;
    std::vector<SegmentInfo> m_segments;
    std::shared_ptr<SegmentFile> m_active;
    uint64_t m_activeBytes = 0;
    uint64_t m_activePreambleEnd = 0;
    uint64_t m_writtenSeq = 0; // bytes written since open
    uint64_t m_syncedSeq = 0;  // m_writtenSeq when the active segment was last fdatasync'ed
    Status m_failure;
    int m_lockFd = -1; // flock on <dir>/LOCK for the WAL's lifetime
};

} // namespace skiff::wal
