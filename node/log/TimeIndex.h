#pragma once
// Sparse time index of one segment (<base>.timeindex): 12-byte big-endian entries
// (largest timestamp so far: int64, offset - baseOffset of the batch that first reached it: int32),
// written alongside offset index entries when the timestamp grew. Like OffsetIndex: in memory,
// append-only file, rebuilt by recovery when it disagrees with the .log.

#include "common/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace skiff::log {

class CachedFile;
class FileHandleCache;

class TimeIndex {
public:
    static constexpr size_t kEntrySize = 12;
    struct Entry {
        int64_t timestamp;
        int32_t relativeOffset;
        bool operator==(const Entry &) const = default;
    };

    static Result<std::unique_ptr<TimeIndex>> open(std::shared_ptr<FileHandleCache> cache, const std::string &path,
                                                   int64_t baseOffset);
    ~TimeIndex();

    const std::vector<Entry> &entries() const { return m_entries; }
    bool fileSizeValid() const { return m_fileSizeValid; }
    const std::string &path() const;
    int64_t lastTimestamp() const { return m_entries.empty() ? INT64_MIN : m_entries.back().timestamp; }

    // Appends only when timestamp is larger than the last entry's.
    Status maybeAppend(int64_t timestamp, int64_t offset);
    Status rewrite(std::vector<Entry> entries);
    // Offset of the last entry whose timestamp is < `timestamp` (all batches up to that offset are
    // older than `timestamp`), or the segment base offset.
    int64_t lookupBefore(int64_t timestamp) const;

private:
    TimeIndex(std::unique_ptr<CachedFile> file, int64_t baseOffset);
    std::unique_ptr<CachedFile> m_file;   // opened on demand: entries are served from memory
    int64_t m_baseOffset;
    std::vector<Entry> m_entries;
    bool m_fileSizeValid = true;
};

} // namespace skiff::log
