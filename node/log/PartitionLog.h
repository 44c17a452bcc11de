#pragma once
// The log of one partition: an ordered list of segments in one directory, with crash recovery,
// offset assignment, idempotent-producer checks, reads, time lookups and retention.
//
// Threading: append/read/offsetForTimestamp/applyRetention/updateConfig/close/remove are called
// from ONE thread (the broker's I/O thread). sync() may run concurrently on the group
// committer's thread; it only touches a small mutex-protected snapshot (the active .log's handle
// while it has unsynced data, rolled but unsynced handles, written end offset) and shared
// FileHandles, so a roll, a retention delete or the file cache never closes an fd under an
// in-flight fdatasync.
//
// Files: segment files are opened on demand through a FileHandleCache shared by the logs of one
// thread, so idle partitions hold no descriptors. A .log handle with unsynced data is held by the
// sync snapshot until an fdatasync covered it, which keeps the cache from closing it first.
//
// Durability: append only write(2)s. durableEndOffset() is the end of the data covered by a
// completed fdatasync. Call close() for a clean shutdown (final sync + recovery point); merely
// destroying the object is treated like a crash by the next open (more verification, no loss).
//
// Replication: a leader appends with appendAsLeader (stamping its epoch on every batch), a
// follower with appendAsFollower (the leader's offsets and epochs kept), and truncateTo cuts a
// divergent tail. The leader epoch cache (LeaderEpochCache) follows all three. Truncation holds
// the sync lock (SyncState::syncSerial) like a sync does, so it never runs beside an in-flight
// fdatasync of this log, and it makes its own changes durable before it returns.

#include "common/Status.h"
#include "log/LeaderEpochCache.h"
#include "log/LogConfig.h"
#include "log/LogErrc.h"
#include "log/ProducerStateTable.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace skiff::log {

class FileHandleCache;
class LogSegment;
struct BatchSpan;

struct AppendResult {
    LogErrc error = LogErrc::None;
    std::string message;           // set on error, names the partition directory
    int64_t baseOffset = -1;       // first offset of the append (original offsets for a duplicate)
    int64_t lastOffset = -1;
    int64_t logAppendTimeMs = -1;  // -1 unless the topic uses LogAppendTime
    int64_t logStartOffset = -1;
    bool duplicate = false;        // an idempotent retry: nothing was appended
    uint64_t records = 0;          // records appended (the batch headers' counts); 0 for a duplicate
    uint64_t bytes = 0;            // their batches' bytes
    bool isOk() const { return error == LogErrc::None; }
};

struct FetchResult {
    std::string records; // whole stored batches, byte-identical to what append wrote
    int64_t logStartOffset = 0;
    int64_t logEndOffset = 0;
};

struct OffsetAndTimestamp {
    int64_t offset = -1; // -1: no record with a timestamp >= the target
    int64_t timestamp = -1;
};

class PartitionLog {
public:
    static constexpr int64_t kNoUpperBound = std::numeric_limits<int64_t>::max();

    // Opens (creating if needed) the log in `dir` and recovers it (config checked by
    // validateLogConfig): torn tails of the last segment
    // are truncated, damaged index files rebuilt, producer state rebuilt from batch headers. A
    // corrupt batch in an older segment fails with Corruption naming the file and byte.
    // `files` is the cache the log's files are opened through (it belongs to the calling
    // thread); without one the log gets its own, unbounded.
    static Result<std::shared_ptr<PartitionLog>> open(const std::string &dir, const LogConfig &config,
                                                      std::shared_ptr<FileHandleCache> files = nullptr);
    ~PartitionLog();
    PartitionLog(const PartitionLog &) = delete;
    PartitionLog &operator=(const PartitionLog &) = delete;

    // Validates a produce request's record set (validateBatches), checks idempotent-producer
    // sequences, assigns offsets (rewriting base offsets; LogAppendTime if configured), stamps
    // every batch with `leaderEpoch` (bytes 12..15, outside the CRC) and records the epoch's
    // first offset in the epoch cache, rolls the segment if due, and writes. All batches of one
    // call land in one segment. `nowMs` is the broker clock (used for LogAppendTime and
    // segment.ms). NotLeaderOrFollower when leaderEpoch is negative or older than the latest
    // epoch the log holds (a stale leader must not write).
    AppendResult appendAsLeader(std::string records, int32_t leaderEpoch, int64_t nowMs);
    // appendAsLeader in the latest epoch of the epoch cache, or epoch 0 when it is empty (the
    // epoch the metadata gives a new partition): the single-replica path and internal topics.
    AppendResult append(std::string records, int64_t nowMs);

    // A new leader records (epoch, logEndOffset) in the epoch cache before it writes anything in
    // that epoch (KIP-279). In memory: the checkpoint file gets it with the first append in the
    // epoch or at close (a restarted broker leads in a new epoch anyway). A no-op when the latest
    // epoch is already `epoch`; FailedPrecondition when the log holds a newer epoch.
    Status assignLeaderEpoch(int32_t epoch);

    // Appends batches fetched from the leader, which already carry their offsets and leader
    // epochs: framing and CRC are validated (not max.message.bytes: the leader accepted them),
    // the first batch must start at logEndOffset() and offsets must be contiguous (else
    // OffsetOutOfRange naming both offsets), producer state is updated without sequence checks
    // (the leader decided), and the batches' epochs go into the epoch cache. Durability is as for
    // leader appends (GroupCommitter::requestSync). `nowMs` (default: the wall clock) is used
    // for segment.ms.
    AppendResult appendAsFollower(std::string records);
    AppendResult appendAsFollower(std::string records, int64_t nowMs);

    // Drops every record at and above `offset` (Kafka's truncateTo). When `offset` falls inside
    // a batch the whole batch goes, so the new log end may be below `offset`. Whole segments
    // above it are deleted, the one holding it is cut (log, offset and time index), the high
    // watermark is clamped, the epoch cache is truncated from the end, producer state is rebuilt
    // from the remaining batch headers (a retried batch that was cut is appended again), and
    // durableEndOffset/recovery point never exceed the new end. Durable before it returns. With
    // offset >= logEndOffset() only the epoch cache is truncated at the log end (dropping an
    // epoch this replica assigned as leader but never wrote in); below the log start it is
    // truncateFullyAndStartAt(offset).
    Status truncateTo(int64_t offset);
    // Deletes every record and restarts the log, empty, at `offset` (a follower whose fetch
    // offset fell below the leader's log start). Clears producer state and the epoch cache.
    Status truncateFullyAndStartAt(int64_t offset);

    // Kafka's endOffsetFor over this log's epoch cache and log end (OffsetForLeaderEpoch, the
    // DivergingEpoch check): see LeaderEpochCache::endOffsetFor.
    std::pair<int32_t, int64_t> endOffsetForEpoch(int32_t epoch) const;
    std::optional<int32_t> latestEpoch() const { return m_epochs.latestEpoch(); }
    std::optional<int32_t> epochForOffset(int64_t offset) const { return m_epochs.epochForOffset(offset); }
    const LeaderEpochCache &epochCache() const { return m_epochs; }

    // Whole batches starting with the one containing fetchOffset, up to maxBytes but always at
    // least one batch; only batches ending below upperBoundOffset (e.g. the high watermark).
    // OutOfRange when fetchOffset < logStartOffset or > logEndOffset.
    Result<FetchResult> read(int64_t fetchOffset, int64_t maxBytes, int64_t upperBoundOffset = kNoUpperBound) const;

    // First offset whose record timestamp >= timestampMs (time index, then a scan). The special
    // LATEST/EARLIEST targets are the caller's business.
    Result<OffsetAndTimestamp> offsetForTimestamp(int64_t timestampMs) const;
    // The record with the largest timestamp (ListOffsets MAX_TIMESTAMP); offset -1 when empty.
    Result<OffsetAndTimestamp> maxTimestamp() const;

    // The first offset a reader may see: the first segment's base, or higher once records were
    // deleted (advanceLogStartOffset), in which case it can fall inside a segment or a batch.
    int64_t logStartOffset() const;
    int64_t logEndOffset() const { return m_nextOffset; }
    int64_t durableEndOffset() const; // thread-safe
    // Replication is not here yet: the broker sets the HW (single node: LEO or durable end).
    int64_t highWatermark() const { return m_highWatermark; }
    void setHighWatermark(int64_t offset); // clamped to [logStartOffset, logEndOffset]

    // Kafka's maybeIncrementLogStartOffset (DeleteRecords, KIP-107): records below `offset` are
    // gone for readers from now on, across restarts (the start is checkpointed in the partition
    // directory before it moves); whole segments below it are deleted at once. A no-op when
    // `offset` is not above the current start; OutOfRange when it is above the high watermark
    // (a leader deletes only committed records; a follower passes min(leader's start, its HW)).
    Status advanceLogStartOffset(int64_t offset);

    // Deletes whole non-active segments past retention.ms (by their largest timestamp) or while
    // the log exceeds retention.bytes; advances the log start offset. Returns segments deleted.
    Result<int> applyRetention(int64_t nowMs);

    // InvalidArgument (config unchanged) when validateLogConfig rejects it.
    Status updateConfig(const LogConfig &config);
    const LogConfig &config() const { return m_config; }

    // fdatasync rolled segments and the active one up to what was written; advances
    // durableEndOffset. Thread-safe; `fsyncCalls` (optional) receives the number of fdatasyncs.
    // A failed fdatasync fails the log for good (later syncs and appends return errors): the
    // kernel may have dropped the dirty pages, so retrying could falsely report success.
    Status sync(int *fsyncCalls = nullptr);
    bool needsSync() const; // thread-safe
    // Whether appends may still be tried: not closed, and not failed for good by a failed sync.
    Status checkWritable() const;

    Status close();  // final sync, recovery point, release files
    Status remove(); // delete all files and the directory

    const std::string &dir() const { return m_dir; }
    size_t segmentCount() const { return m_segments.size(); }
    std::vector<int64_t> segmentBaseOffsets() const;
    int64_t sizeInBytes() const;
    const ProducerStateTable &producerState() const { return m_producers; }

private:
    struct SyncState;
    PartitionLog(std::string dir, const LogConfig &config, std::shared_ptr<FileHandleCache> files);
    Status recover();
    // Rebuilds the epoch cache from the epochs the batches carry (`fromHeaders`), keeping the
    // checkpoint's entry a leader assigned at the log end before writing (no batch carries it).
    void recoverEpochCache(LeaderEpochCache fromHeaders);
    Status roll(int64_t nowMs);
    bool rollDue(int64_t appendBytes, int64_t appendLastOffset, int64_t nowMs) const;
    // Rolls if due and writes batches that carry their final offsets; on success m_nextOffset
    // is `nextOffset` and the sync snapshot holds the active file.
    AppendResult writeBatches(const std::string &records, const std::vector<BatchSpan> &batches, int64_t nextOffset,
                              int64_t nowMs);
    void assignEpochsOf(const std::vector<BatchSpan> &batches);
    // Deletes the last segment's files, durably (the directory is fsynced, so a crash never
    // brings back a later segment after an earlier one is gone), and forgets its handles.
    Status deleteLastSegment();
    // Producer state from the headers of every batch in the log, as open() builds it.
    Status rebuildProducerState();
    // The file work of truncateTo / truncateFullyAndStartAt, under SyncState::syncSerial.
    Status cutTail(int64_t offset);
    Status restartAt(int64_t offset);
    // A truncation that failed half-way leaves the files in an unknown state: like a failed
    // fdatasync, the log refuses appends and syncs until a restart recovers it.
    Status markFailed(Status status);
    Status writeRecoveryPoint(int64_t offset, bool onlyIfLower = false);
    // The log-start-offset checkpoint: 0 (the first segment decides) when absent or unreadable.
    int64_t readLogStartCheckpoint() const;
    Status writeLogStartCheckpoint(int64_t offset);
    // Deletes the oldest non-active segments while `due(oldest, bytes of the log)` names a reason
    // (nullptr: stop), then moves the HW, producer state and epoch cache past the new start.
    template <class Due>
    Result<int> deleteOldestSegments(Due due);
    int64_t readRecoveryPoint() const;
    AppendResult fail(LogErrc error, const std::string &message) const;

    std::string m_dir;
    LogConfig m_config;
    std::shared_ptr<FileHandleCache> m_files;
    std::vector<std::unique_ptr<LogSegment>> m_segments; // ascending base offsets, last = active
    ProducerStateTable m_producers;
    LeaderEpochCache m_epochs;
    bool m_epochCheckpointStale = false;   // assignLeaderEpoch changed the cache, not the file
    int64_t m_nextOffset = 0;
    int64_t m_highWatermark = 0;
    int64_t m_deletedBelow = 0;   // the checkpointed start (DeleteRecords); may be in a segment
    bool m_closed = false;
    std::unique_ptr<SyncState> m_sync;
};

} // namespace skiff::log
