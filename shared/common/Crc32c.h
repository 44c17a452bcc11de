#pragma once
// CRC-32C (Castagnoli), as used by Kafka record batches v2 and by Skiff's WAL records.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace skiff {

// Extends a running CRC: crc32c(crc32c(0, a), b) == crc32c(0, a + b).
uint32_t crc32c(uint32_t crc, const void *data, size_t size);
inline uint32_t crc32c(std::string_view bytes) { return crc32c(0, bytes.data(), bytes.size()); }
// The table-driven code crc32c() uses without SSE4.2; the tests hold the fast path to it.
uint32_t crc32cPortable(uint32_t crc, const void *data, size_t size);

} // namespace skiff
