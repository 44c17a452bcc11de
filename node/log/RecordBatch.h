#pragma once
// Kafka record batch v2 (magic 2): header parsing, produce-time validation and the few in-place
// rewrites a leader does. Batches are otherwise kept byte-for-byte as the producer sent them;
// compressed payloads are never decompressed here.
//
// Error mapping (the kafka layer turns LogErrc into the response error code):
//   CRC mismatch, bad length/framing, truncated record set -> CORRUPT_MESSAGE
//   magic != 2                                             -> UNSUPPORTED_FOR_MESSAGE_FORMAT
//   compression codec above 4 (zstd)                       -> UNSUPPORTED_COMPRESSION_TYPE
//   batch (incl. 12-byte offset+length prefix) > maxBytes  -> MESSAGE_TOO_LARGE

#include "log/LogErrc.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::log {

namespace batch {
// Byte offsets of the v2 header fields.
inline constexpr size_t kBaseOffset = 0;
inline constexpr size_t kBatchLength = 8;
inline constexpr size_t kPartitionLeaderEpoch = 12;
inline constexpr size_t kMagic = 16;
inline constexpr size_t kCrc = 17;
inline constexpr size_t kAttributes = 21; // CRC covers from here to the end of the batch
inline constexpr size_t kLastOffsetDelta = 23;
inline constexpr size_t kBaseTimestamp = 27;
inline constexpr size_t kMaxTimestamp = 35;
inline constexpr size_t kProducerId = 43;
inline constexpr size_t kProducerEpoch = 51;
inline constexpr size_t kBaseSequence = 53;
inline constexpr size_t kRecordsCount = 57;
inline constexpr size_t kHeaderSize = 61;
inline constexpr size_t kLogOverhead = 12; // baseOffset + batchLength precede the length-counted part

inline constexpr int16_t kCompressionMask = 0x07;
inline constexpr int kMaxCompressionCodec = 4; // 0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd; 5-7 unassigned
inline constexpr int16_t kTimestampTypeBit = 0x08; // set = LogAppendTime
inline constexpr int16_t kTransactionalBit = 0x10;
inline constexpr int16_t kControlBit = 0x20;
} // namespace batch

enum class TimestampType { CreateTime, LogAppendTime };

struct RecordBatchHeader {
    int64_t baseOffset = 0;
    int32_t batchLength = 0; // bytes after the batchLength field
    int32_t partitionLeaderEpoch = -1;
    int8_t magic = 2;
    uint32_t crc = 0;
    int16_t attributes = 0;
    int32_t lastOffsetDelta = 0;
    int64_t baseTimestamp = 0;
    int64_t maxTimestamp = 0;
    int64_t producerId = -1;
    int16_t producerEpoch = -1;
    int32_t baseSequence = -1;
    int32_t recordsCount = 0;

    // Parses the fixed header; the caller guarantees at least kHeaderSize bytes.
    static RecordBatchHeader parse(const char *data);

    size_t totalSize() const { return static_cast<size_t>(batchLength) + batch::kLogOverhead; }
    int64_t lastOffset() const { return baseOffset + lastOffsetDelta; }
    int compression() const { return attributes & batch::kCompressionMask; }
    bool isLogAppendTime() const { return attributes & batch::kTimestampTypeBit; }
    bool isControl() const { return attributes & batch::kControlBit; }
    bool hasProducerId() const { return producerId >= 0; }
    // Last sequence of the batch; sequences wrap from INT32_MAX to 0.
    int32_t lastSequence() const;
};

// One batch inside a record set.
struct BatchSpan {
    size_t position = 0; // byte position in the record set
    RecordBatchHeader header;
};

struct ValidatedBatches {
    LogErrc error = LogErrc::None;
    std::string message; // for the operator log / error message field; empty when ok
    std::vector<BatchSpan> batches;
    bool isOk() const { return error == LogErrc::None; }
};

// Splits a produce request's record set into batches and checks each: magic 2, batchLength sane
// and within the set, CRC-32C, a known compression codec, recordsCount/lastOffsetDelta
// consistent, and for uncompressed batches that the records' varint lengths tile the body
// exactly. An empty set is corrupt.
ValidatedBatches validateBatches(std::string_view records, int32_t maxMessageBytes);

// What a record set carries, for traffic counters: the records its whole batches hold (each
// batch header's recordsCount: nothing is decompressed) and its bytes. A partial batch at the end
// (a fetch may end in one) counts in bytes, not in records.
struct RecordSetSize {
    uint64_t records = 0;
    uint64_t bytes = 0;
};
RecordSetSize measureRecordSet(std::string_view records);

// Cheap storage-side checks for one batch at `data` (size >= available): framing and CRC.
// Returns an empty string when valid, otherwise what is wrong.
std::string checkStoredBatch(const char *data, size_t available, bool verifyCrc);

// CRC-32C of the batch as Kafka defines it (attributes .. end).
uint32_t computeBatchCrc(const char *batchData, size_t batchSize);

// In-place rewrites on one batch. The base offset is outside the CRC.
void setBaseOffset(char *batchData, int64_t baseOffset);
// The leader epoch that wrote the batch (bytes 12..15), also outside the CRC.
void setPartitionLeaderEpoch(char *batchData, int32_t leaderEpoch);
// Sets the timestamp-type bit to LogAppendTime and maxTimestamp to `timestampMs`, recomputing
// the CRC (as Kafka does; record timestamps stay untouched, consumers use maxTimestamp).
void setLogAppendTime(char *batchData, size_t batchSize, int64_t timestampMs);

} // namespace skiff::log
