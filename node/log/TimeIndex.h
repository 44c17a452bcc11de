#pragma once
// Sparse time index of one segment (<base>.timeindex): 12-byte big-endian entries
// (largest timestamp so far: int64, offset - baseOffset of the batch that first reached it: int32),
// written alongside offset index entries when the timestamp grew. The file handling is
// IndexFile's, as for OffsetIndex.

#include "log/IndexFile.h"

namespace skiff::log {

struct TimeIndexEntry {
    static constexpr size_t kSize = 12;
    int64_t timestamp;
    int32_t relativeOffset;
    bool operator==(const TimeIndexEntry &) const = default;
    static TimeIndexEntry decode(const char *p);
    void encode(char *p) const;
};

class TimeIndex : public IndexFile<TimeIndexEntry> {
public:
    static Result<std::unique_ptr<TimeIndex>> open(std::shared_ptr<FileHandleCache> cache, const std::string &path,
                                                   int64_t baseOffset);

    int64_t lastTimestamp() const { return m_entries.empty() ? INT64_MIN : m_entries.back().timestamp; }
    // Appends only when timestamp is larger than the last entry's.
    Status maybeAppend(int64_t timestamp, int64_t offset);
    // Offset of the last entry whose timestamp is < `timestamp` (all batches up to that offset are
    // older than `timestamp`), or the segment base offset.
    int64_t lookupBefore(int64_t timestamp) const;

private:
    TimeIndex(std::shared_ptr<FileHandleCache> cache, const std::string &path, int64_t baseOffset)
        : IndexFile(std::move(cache), path, baseOffset)
    {
    }
};

} // namespace skiff::log
