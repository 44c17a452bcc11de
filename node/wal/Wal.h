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
//   One owner thread (later: the Raft Ready loop) calls everything not listed below: append,
//   saveSnapshotMarker, compact, sync, requestSync, firstIndex, lastIndex, term, snapshotMarker,
//   takeRecovered, segmentCount. The owner's state has no lock; it must not be shared.
//   The internal WalSyncer thread runs fdatasync and the sync callbacks (see WalSyncer.h for the
//   one mutex, "WalSyncer::m_mutex", and what it protects). durableIndex(), fsyncLatency() and
//   fdatasyncCount() may be called from any thread.
//
// Durability: append() only writes (page cache). requestSync(cb) queues a request; the syncer
// answers it with the first fdatasync that starts after the request, which covers every byte the
// owner wrote before calling requestSync. durableIndex() is the highest index such that entries
// firstIndex()..durableIndex() of the CURRENT log are on disk (it drops when a truncation
// replaces entries that were durable). Hard state and markers written before a request are
// durable when its callback reports ok.
//
// Errors: a failed write or fdatasync makes the WAL unusable (every later call returns the error);
// the node must restart and recover from what is on disk.

#include "RecoveredState.h"
#include "SegmentInfo.h"
#include "TermIndex.h"
#include "WalOptions.h"
#include "WalSyncer.h"
#include "common/Status.h"
#include "metrics/Histogram.h"
#include "raft.pb.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace skiff::wal {

class SegmentFile;

class Wal {
public:
    using SyncCallback = WalSyncer::Callback;

    // Creates dir if needed, takes an exclusive flock on <dir>/LOCK, recovers (cutting a torn tail of the last segment), makes the recovered
    // state durable and starts the syncer thread. Corruption anywhere else fails with a message
    // naming file, byte offset and entry index.
    static Result<std::unique_ptr<Wal>> open(const std::string &dir, WalOptions options = {});
    ~Wal(); // answers queued sync requests, stops the syncer

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

    // Group commit: cb runs once, on the syncer thread, after an fdatasync that covers everything
    // written so far (immediately on the calling thread if the WAL has already failed).
    void requestSync(SyncCallback cb);
    // Blocking requestSync. Owner thread; never from a sync callback (it would wait for itself).
    Status sync();

    uint64_t firstIndex() const { return m_terms.base() + 1; }
    uint64_t lastIndex() const { return m_terms.last(); } // == firstIndex() - 1 when empty
    std::optional<uint64_t> term(uint64_t index) const { return m_terms.termAt(index); }
    std::optional<raft::SnapshotMetadata> snapshotMarker() const { return m_snapshot; }
    uint64_t durableIndex() const { return m_syncer.durableIndex(); }

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
    void encodePreamble(std::string &out) const;

    std::string m_dir;
    WalOptions m_options;
    metrics::Histogram m_fsyncLatency;
    WalSyncer m_syncer; // after m_fsyncLatency: destroyed (joined) before it

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
    Status m_failure;
    int m_lockFd = -1; // flock on <dir>/LOCK for the WAL's lifetime
};

} // namespace skiff::wal
