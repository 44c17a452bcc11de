#pragma once
// CRC-32C (Castagnoli), as used by Kafka record batches v2 and by Skiff's WAL records.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace skiff {

// Extends a running CRC: crc32c(crc32c(0, a), b) == crc32c(0, a + b).
uint32_t crc32c(uint32_t crc, const void *data, size_t size);
inline uint32_t crc32c(std::string_view bytes) { return crc32c(0, bytes.data(), bytes.size()); }

} // namespace skiff
