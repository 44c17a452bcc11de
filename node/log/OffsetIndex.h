#pragma once
// Sparse offset index of one segment (<base>.index): 8-byte big-endian entries
// (offset - baseOffset: int32, byte position of that batch in the .log: int32), one every
// index.interval.bytes. Kept in memory; the file is append-only and rebuilt from the .log when
// recovery finds it does not match the batches there, so it is never fsynced.

#include "common/Status.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace skiff::log {

class CachedFile;
class FileHandleCache;

class OffsetIndex {
public:
    static constexpr size_t kEntrySize = 8;
    struct Entry {
        int32_t relativeOffset;
        int32_t position;
        bool operator==(const Entry &) const = default;
    };

    // Opens or creates the file and loads whatever entries it holds (checked by the caller).
    static Result<std::unique_ptr<OffsetIndex>> open(std::shared_ptr<FileHandleCache> cache, const std::string &path,
                                                   int64_t baseOffset);
    ~OffsetIndex();

    const std::vector<Entry> &entries() const { return m_entries; }
    bool fileSizeValid() const { return m_fileSizeValid; }
    const std::string &path() const;

    Status append(int64_t offset, int64_t position);
    // Replaces the file content with `entries` (recovery rebuild).
    Status rewrite(std::vector<Entry> entries);
    // Byte position of the last indexed batch with offset <= `offset`, or 0.
    int64_t lookup(int64_t offset) const;

private:
    OffsetIndex(std::unique_ptr<CachedFile> file, int64_t baseOffset);
    std::unique_ptr<CachedFile> m_file;   // opened on demand: entries are served from memory
    int64_t m_baseOffset;
    std::vector<Entry> m_entries;
    bool m_fileSizeValid = true;
};

} // namespace skiff::log
