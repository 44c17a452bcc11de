#pragma once
// The Raft storage of a node: a raft::MemoryStorage cache in front of the WAL (<dir>/wal), plus
// the latest snapshot in <dir>/snapshot.
//
// Threads: one owner (the Raft Ready loop) calls everything, including the raft::Storage reads
// the core makes, and sync(), whose fdatasync runs on that thread (Wal.h says why); fsyncLatency()
// and durableIndex() may be called from any thread (they are the WAL's).
//
// Snapshot file: "SKSNAP1\n" | u32 payload length | u32 CRC-32C of payload | serialized
// raft::Snapshot (little-endian). Written as <dir>/snapshot.tmp, fdatasync'ed, renamed over
// <dir>/snapshot, directory fsync'ed: a crash leaves the old file or the new one, never a mix.
//
// The cache and the WAL always hold the same entries; their first index (the WAL's snapshot
// marker + 1) may lie below the snapshot file's index: snapshotAndCompact keeps `keepEntries`
// entries before the snapshot so slow followers can still be served from the log. The WAL
// marker is therefore the compaction point, not necessarily the snapshot's index.
//
// Recovery (open of an existing directory): read the snapshot file at S, then the WAL (marker M,
// entries M+1..L, hard state). If the WAL holds entry S with the snapshot's term (or M == S),
// the cache is the entries M+1..L with the snapshot at S; otherwise (a crash after a leader's
// snapshot was written but before its marker) the snapshot replaces the log, as Raft requires,
// and the marker is written now. The hard state's commit is raised to the snapshot's index if
// it is below (a snapshot only covers committed entries).
//
// Restarting a RawNode on it: restore the state machine from snapshot() and pass its index as
// Config::applied. With Config::applied = 0 the node starts applying at firstIndex(), which after
// snapshotAndCompact(keepEntries > 0) lies below the snapshot.
//
// Ready handling order: applySnapshot(rd.snapshot) first, then append(rd.entries, rd.hardState),
// then sync if rd.mustSync.

#include "common/Status.h"
#include "metrics/Histogram.h"
#include "raft/MemoryStorage.h"
#include "raft/Storage.h"
#include "wal/Wal.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace skiff::cluster {

struct DurableStorageOptions {
    wal::WalOptions wal;
};

// True for the answer of append() and applySnapshot() (the snapshot file or its WAL marker) when
// the filesystem is full: nothing was changed, and the same call may be made again.
bool isStorageFull(const Status &status);

class DurableStorage : public raft::Storage {
public:
    // Opens <dir>/wal and <dir>/snapshot. A brand-new directory (no WAL records, no snapshot
    // file) is bootstrapped with `bootstrap`: a snapshot at index 0, term 0, with that ConfState
    // and no data, written durably. An existing directory ignores `bootstrap` and recovers.
    // A damaged snapshot file, a missing one beside a non-empty WAL, or a WAL that disagrees with
    // the snapshot is Corruption naming the file; WAL damage is reported as Wal::open does.
    static Result<std::unique_ptr<DurableStorage>> open(const std::string &dir, const raft::ConfState &bootstrap,
                                                        DurableStorageOptions options = {});
    ~DurableStorage() override;
    DurableStorage(const DurableStorage &) = delete;
    DurableStorage &operator=(const DurableStorage &) = delete;

    // raft::Storage, served from the cache.
    Result<raft::InitialState> initialState() const override;
    Result<std::vector<raft::Entry>> entries(uint64_t lo, uint64_t hi, uint64_t maxSize) const override;
    Result<uint64_t> term(uint64_t i) const override;
    Result<uint64_t> lastIndex() const override;
    Result<uint64_t> firstIndex() const override;
    Result<raft::Snapshot> snapshot() const override;

    // Ready handling: appends entries (a first index <= lastIndex() replaces the conflicting
    // suffix) and then the hard state, to the WAL and the cache. No fsync. A full filesystem
    // answers Unavailable (isStorageFull) and changes nothing: call again once space returns.
    // After any other WAL error the storage is unusable (every later write fails); restart to
    // recover from disk.
    Status append(const std::vector<raft::Entry> &entries, const raft::HardState *hardState);
    // Makes everything appended so far durable (one fdatasync, on this thread). After a failure
    // the storage is unusable.
    Status sync();

    // A snapshot from the leader (Ready.snapshot): written durably, recorded as the WAL marker
    // (which drops the WAL entries it covers, or all of them if the log disagrees at its index),
    // and the cache replaced by it. FailedPrecondition if older than the current snapshot.
    // Should the WAL hold the snapshot's entry with its term, it keeps the entries after it
    // (Wal::saveSnapshotMarker) while the cache drops them, as MemoryStorage does; a reopen then
    // sees them again. Raft only sends Ready.snapshot when its log disagrees at that index, so
    // this does not arise in practice, and such entries would be ordinary uncommitted entries.
    Status applySnapshot(const raft::Snapshot &snapshot);
    // The local state machine was snapshotted at `index` (applied, so present and durable):
    // creates that snapshot (with confState and data), writes it durably, then compacts the
    // cache and the WAL to index - keepEntries (entries up to that point become OutOfRange,
    // whole WAL segments below it are deleted).
    Status snapshotAndCompact(uint64_t index, const raft::ConfState &confState, std::string data,
                              uint64_t keepEntries);

    const raft::HardState &hardState() const { return m_cache.hardState(); }
    uint64_t durableIndex() const { return m_wal->durableIndex(); }
    metrics::Histogram &fsyncLatency() { return m_wal->fsyncLatency(); }
    // What the WAL cut off the torn tail of its last segment at open (for the start-up log).
    uint64_t tornBytesDropped() const { return m_tornBytesDropped; }

private:
    DurableStorage(std::string dir, std::unique_ptr<wal::Wal> wal);
    Status recover(const raft::Snapshot &snap, wal::RecoveredState recovered);
    Status writeSnapshotFile(const raft::Snapshot &snap);

    std::string m_dir;
    std::string m_snapshotPath;
    std::unique_ptr<wal::Wal> m_wal;
    raft::MemoryStorage m_cache;
    uint64_t m_tornBytesDropped = 0;
};

// The snapshot file format, exposed for tests and tools.
std::string encodeSnapshotFile(const raft::Snapshot &snap);
// Corruption naming `path` for a short file, a bad magic, a length or CRC mismatch, or a payload
// that is not a raft::Snapshot.
Result<raft::Snapshot> decodeSnapshotFile(std::string_view bytes, const std::string &path);

} // namespace skiff::cluster
