#pragma once
// Sequential reads of a file region through a buffer, so walking many small batch headers
// costs one pread per chunk instead of one per batch.

#include "common/Status.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace skiff::log {

class FileHandle;

class ChunkReader {
public:
    static constexpr size_t kDefaultChunk = 256 * 1024;

    ChunkReader(const FileHandle &file, int64_t end, size_t chunk = kDefaultChunk)
        : m_file(file), m_end(end), m_chunk(chunk) {}

    // Up to `size` bytes at `position` (fewer only at `end`), valid until the next call.
    Result<std::string_view> view(int64_t position, size_t size);

private:
    const FileHandle &m_file;
    int64_t m_end;
    size_t m_chunk;
    std::string m_buffer;
    int64_t m_bufferStart = 0;
};

} // namespace skiff::log
