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

#include "common/Status.h"
#include "log/LogConfig.h"
#include "log/LogErrc.h"
#include "log/ProducerStateTable.h"

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace skiff::log {

class FileHandleCache;
class LogSegment;

struct AppendResult {
    LogErrc error = LogErrc::None;
    std::string message;           // set on error, names the partition directory
    int64_t baseOffset = -1;       // first offset of the append (original offsets for a duplicate)
    int64_t lastOffset = -1;
    int64_t logAppendTimeMs = -1;  // -1 unless the topic uses LogAppendTime
    int64_t logStartOffset = -1;
    bool duplicate = false;        // an idempotent retry: nothing was appended
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
    // sequences, assigns offsets (rewriting base offsets; LogAppendTime if configured), rolls the
    // segment if due, and writes. All batches of one call land in one segment. `nowMs` is the
    // broker clock (used for LogAppendTime and segment.ms).
    AppendResult append(std::string records, int64_t nowMs);

    // Whole batches starting with the one containing fetchOffset, up to maxBytes but always at
    // least one batch; only batches ending below upperBoundOffset (e.g. the high watermark).
    // OutOfRange when fetchOffset < logStartOffset or > logEndOffset.
    Result<FetchResult> read(int64_t fetchOffset, int64_t maxBytes, int64_t upperBoundOffset = kNoUpperBound) const;

    // First offset whose record timestamp >= timestampMs (time index, then a scan). The special
    // LATEST/EARLIEST targets are the caller's business.
    Result<OffsetAndTimestamp> offsetForTimestamp(int64_t timestampMs) const;
    // The record with the largest timestamp (ListOffsets MAX_TIMESTAMP); offset -1 when empty.
    Result<OffsetAndTimestamp> maxTimestamp() const;

    int64_t logStartOffset() const;
    int64_t logEndOffset() const { return m_nextOffset; }
    int64_t durableEndOffset() const; // thread-safe
    // Replication is not here yet: the broker sets the HW (single node: LEO or durable end).
    int64_t highWatermark() const { return m_highWatermark; }
    void setHighWatermark(int64_t offset); // clamped to [logStartOffset, logEndOffset]

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
    Status roll(int64_t nowMs);
    Status writeRecoveryPoint(int64_t offset);
    int64_t readRecoveryPoint() const;
    AppendResult fail(LogErrc error, const std::string &message) const;

    std::string m_dir;
    LogConfig m_config;
    std::shared_ptr<FileHandleCache> m_files;
    std::vector<std::unique_ptr<LogSegment>> m_segments; // ascending base offsets, last = active
    ProducerStateTable m_producers;
    int64_t m_nextOffset = 0;
    int64_t m_highWatermark = 0;
    bool m_closed = false;
    std::unique_ptr<SyncState> m_sync;
};

} // namespace skiff::log
