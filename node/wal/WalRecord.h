#pragma once
// On-disk framing of WAL records. Every record, little-endian:
//
//   u32 payload length | u32 CRC-32C over (type byte + payload) | u8 type | payload
//
// A segment file starts with a SegmentHeader record, then (carried over so a segment never
// depends on deleted predecessors for state) the current HardState and SnapshotMarker if any.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace skiff::wal {

enum class RecordType : uint8_t {
    SegmentHeader = 1,  // payload: u32 magic, u32 format version, u64 first index
    Entry = 2,          // payload: serialized raft::Entry
    HardState = 3,      // payload: serialized raft::HardState
    SnapshotMarker = 4, // payload: serialized raft::SnapshotMetadata (index, term, ConfState)
    Truncate = 5,       // payload: u64 index; entries >= index are removed from the logical log
};

inline constexpr size_t kRecordHeaderBytes = 9;
inline constexpr uint32_t kSegmentMagic = 0x4C41574B; // "KWAL" little-endian
inline constexpr uint32_t kFormatVersion = 1;
// Larger lengths are framing damage, not records (an entry is far smaller).
inline constexpr uint32_t kMaxRecordPayload = 256u << 20;

const char *recordTypeName(RecordType type);

void appendRecord(std::string &out, RecordType type, std::string_view payload);

struct DecodedRecord {
    enum class Outcome { Ok, Incomplete, Damaged };
    Outcome outcome = Outcome::Damaged;
    RecordType type{};
    std::string_view payload;
    size_t totalBytes = 0; // header + payload, when Ok
    std::string problem;   // why, when not Ok ("CRC mismatch", "length 9999 runs past end of file")
};

// Decodes the record starting at data[offset]; never reads past size.
DecodedRecord decodeRecord(std::string_view data, size_t offset);

// First offset > from where a whole valid record starts, or npos. Used to tell a torn tail
// (nothing valid follows) from corruption in the middle of the log.
size_t findValidRecordAfter(std::string_view data, size_t from);

std::string encodeSegmentHeader(uint64_t firstIndex);
struct SegmentHeader {
    uint32_t version = 0;
    uint64_t firstIndex = 0;
};
bool decodeSegmentHeader(std::string_view payload, SegmentHeader &out);

std::string encodeU64(uint64_t value);
bool decodeU64(std::string_view payload, uint64_t &out);

} // namespace skiff::wal
