#pragma once
// One segment of a partition log: <20-digit base offset>.log holding batches exactly as stored,
// plus its sparse .index and .timeindex. Used only from the owning PartitionLog's thread. Its
// files are opened on demand through a FileHandleCache (an idle segment holds no descriptor); a
// .log FileHandle with unsynced data is additionally held by the group committer until synced.

#include "common/Status.h"
#include "log/RecordBatch.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::log {

class CachedFile;
class FileHandle;
class FileHandleCache;
class OffsetIndex;
class TimeIndex;

class LogSegment {
public:
    ~LogSegment();

    // "<dir>/00000000000000000042" (append ".log", ".index", ".timeindex").
    static std::string fileStem(const std::string &dir, int64_t baseOffset);
    // Creates a new empty segment (existing files of that name are truncated).
    static Result<std::unique_ptr<LogSegment>> create(const std::shared_ptr<FileHandleCache> &cache, const std::string &dir,
                                                      int64_t baseOffset);
    // Opens existing files; nothing is known about the content until recover().
    static Result<std::unique_ptr<LogSegment>> openExisting(const std::shared_ptr<FileHandleCache> &cache,
                                                            const std::string &dir, int64_t baseOffset);

    struct RecoveryOptions {
        bool isLast = false;               // a bad tail is truncated instead of failing
        int64_t verifyCrcFromOffset = 0;   // batches ending at or after this offset get a CRC check
        int32_t indexIntervalBytes = 4096;
        std::function<void(const RecordBatchHeader &)> onBatch;
    };
    // Walks every batch header (cheap: 61-byte reads), checks framing and offsets, verifies CRCs
    // from verifyCrcFromOffset on, truncates a torn/corrupt tail of the last segment, and
    // rebuilds the index files when they do not match the batches. Errors name file and byte.
    Status recover(const RecoveryOptions &options);

    // Appends a record set whose batches already carry their final offsets.
    Status append(std::string_view records, const std::vector<BatchSpan> &batches, int32_t indexIntervalBytes,
                  int64_t nowMs);
    // Called when the segment stops being the active one: records the final time index entry.
    Status onRolled();
    // Cuts the file before the batch holding `offset` (or the first batch after it; the whole
    // batch goes), fdatasyncs the new length, and recomputes what the segment knows (size, next
    // offset, timestamps, index files) by walking the remaining headers as recovery does, so the
    // result is what a reopen would find. The segment is the last one afterwards.
    Status truncateTo(int64_t offset, int32_t indexIntervalBytes);

    // Byte position of the batch containing `offset` (or the first batch after it), size() if none.
    Result<int64_t> positionOf(int64_t offset) const;
    // Visits the batch headers from `position` (a batch boundary) in file order, reading in
    // chunks; stops when `visit` returns false. Corruption if a header is malformed.
    Status forEachBatch(int64_t position,
                        const std::function<bool(int64_t position, const RecordBatchHeader &header)> &visit,
                        size_t chunkBytes = 64 * 1024) const;
    // Appends to `out` the whole batches from `position` (a batch boundary) that a fetch takes:
    // those before the first whose last offset reaches `upperBoundOffset`, while out stays within
    // `maxBytes`, except that the first batch is taken whatever its size when out is empty (a
    // consumer must progress past a batch larger than its limit). The file is read once, straight
    // into `out`, and the headers are walked there. Returns true when it stopped at a limit (the
    // next segment must not be read), false when it reached the end of the segment.
    Result<bool> readBatches(int64_t position, int64_t maxBytes, int64_t upperBoundOffset, std::string &out) const;

    struct TimestampOffset {
        int64_t offset = -1;
        int64_t timestamp = -1;
    };
    // First record with timestamp >= ts and offset >= fromOffset (the log start: Kafka's
    // startingOffset) in this segment. Compressed batches are not decompressed: their base offset
    // (or fromOffset, when it falls inside) and maxTimestamp are returned.
    Result<std::optional<TimestampOffset>> findTimestamp(int64_t ts, int64_t fromOffset = 0) const;

    // Unlinks the three files (fds stay valid for whoever still holds them).
    Status deleteFiles();

    int64_t baseOffset() const { return m_baseOffset; }
    int64_t nextOffset() const { return m_nextOffset; }
    int64_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    int64_t maxTimestamp() const { return m_maxTimestamp; } // -1 when empty
    int64_t firstBatchTimeMs() const { return m_firstBatchTimeMs; } // for segment.ms rolls; -1 when empty
    const std::string &logPath() const;
    const std::string &indexPath() const;
    const std::string &timeIndexPath() const;
    // The .log file's handle, reopened if the cache closed it; holding it keeps it open.
    Result<std::shared_ptr<FileHandle>> logFile() const;

private:
    LogSegment() = default;
    static Result<std::unique_ptr<LogSegment>> openFiles(const std::shared_ptr<FileHandleCache> &cache, const std::string &dir,
                                                         int64_t baseOffset, bool truncate);
    // Index bookkeeping shared by append and recovery so both produce the same entries.
    struct IndexPlan;
    void trackBatch(const RecordBatchHeader &h, int64_t position, int32_t interval, IndexPlan &plan);
    // The framing rule every header walk applies: the header at `position` is whole and its
    // batch ends within the segment.
    Result<RecordBatchHeader> checkedHeader(int64_t position, std::string_view available) const;

    int64_t m_baseOffset = 0;
    int64_t m_nextOffset = 0;
    int64_t m_size = 0;
    int64_t m_maxTimestamp = -1;
    int64_t m_offsetOfMaxTimestamp = -1;
    int64_t m_firstBatchTimeMs = -1;
    int64_t m_bytesSinceIndexEntry = 0;
    std::unique_ptr<CachedFile> m_log;
    std::unique_ptr<OffsetIndex> m_index;
    std::unique_ptr<TimeIndex> m_timeIndex;
};

} // namespace skiff::log
