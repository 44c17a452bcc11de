#pragma once
// Sparse offset index of one segment (<base>.index): 8-byte big-endian entries
// (offset - baseOffset: int32, byte position of that batch in the .log: int32), one every
// index.interval.bytes. The file handling (in memory, append-only, rebuilt by recovery, never
// fsynced) is IndexFile's.

#include "log/IndexFile.h"

namespace skiff::log {

struct OffsetIndexEntry {
    static constexpr size_t kSize = 8;
    int32_t relativeOffset;
    int32_t position;
    bool operator==(const OffsetIndexEntry &) const = default;
    static OffsetIndexEntry decode(const char *p);
    void encode(char *p) const;
};

class OffsetIndex : public IndexFile<OffsetIndexEntry> {
public:
    // Opens or creates the file and loads whatever entries it holds (checked by the caller).
    static Result<std::unique_ptr<OffsetIndex>> open(std::shared_ptr<FileHandleCache> cache, const std::string &path,
                                                     int64_t baseOffset);

    Status append(int64_t offset, int64_t position);
    // Byte position of the last indexed batch with offset <= `offset`, or 0.
    int64_t lookup(int64_t offset) const;

private:
    OffsetIndex(std::shared_ptr<FileHandleCache> cache, const std::string &path, int64_t baseOffset)
        : IndexFile(std::move(cache), path, baseOffset)
    {
    }
};

} // namespace skiff::log
