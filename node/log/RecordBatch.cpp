#include "log/RecordBatch.h"

#include "common/Crc32c.h"
#include "log/ByteOrder.h"
#include "log/Varint.h"

#include <algorithm>
#include <limits>

namespace skiff::log {

const char *logErrcName(LogErrc e)
{
    switch (e) {
    case LogErrc::None: return "NONE";
    case LogErrc::OffsetOutOfRange: return "OFFSET_OUT_OF_RANGE";
    case LogErrc::CorruptMessage: return "CORRUPT_MESSAGE";
    case LogErrc::NotLeaderOrFollower: return "NOT_LEADER_OR_FOLLOWER";
    case LogErrc::MessageTooLarge: return "MESSAGE_TOO_LARGE";
    case LogErrc::UnsupportedForMessageFormat: return "UNSUPPORTED_FOR_MESSAGE_FORMAT";
    case LogErrc::OutOfOrderSequenceNumber: return "OUT_OF_ORDER_SEQUENCE_NUMBER";
    case LogErrc::InvalidProducerEpoch: return "INVALID_PRODUCER_EPOCH";
    case LogErrc::KafkaStorageError: return "KAFKA_STORAGE_ERROR";
    case LogErrc::UnsupportedCompressionType: return "UNSUPPORTED_COMPRESSION_TYPE";
    }
    return "UNKNOWN";
}

RecordBatchHeader RecordBatchHeader::parse(const char *d)
{
    using namespace batch;
    RecordBatchHeader h;
    h.baseOffset = readBigEndian<int64_t>(d + kBaseOffset);
    h.batchLength = readBigEndian<int32_t>(d + kBatchLength);
    h.partitionLeaderEpoch = readBigEndian<int32_t>(d + kPartitionLeaderEpoch);
    h.magic = static_cast<int8_t>(d[kMagic]);
    h.crc = readBigEndian<uint32_t>(d + kCrc);
    h.attributes = readBigEndian<int16_t>(d + kAttributes);
    h.lastOffsetDelta = readBigEndian<int32_t>(d + kLastOffsetDelta);
    h.baseTimestamp = readBigEndian<int64_t>(d + kBaseTimestamp);
    h.maxTimestamp = readBigEndian<int64_t>(d + kMaxTimestamp);
    h.producerId = readBigEndian<int64_t>(d + kProducerId);
    h.producerEpoch = readBigEndian<int16_t>(d + kProducerEpoch);
    h.baseSequence = readBigEndian<int32_t>(d + kBaseSequence);
    h.recordsCount = readBigEndian<int32_t>(d + kRecordsCount);
    return h;
}

RecordSetSize measureRecordSet(std::string_view records)
{
    RecordSetSize size;
    size.bytes = records.size();
    size_t at = 0;
    while (records.size() - at >= batch::kHeaderSize) {
        const int32_t length = readBigEndian<int32_t>(records.data() + at + batch::kBatchLength);
        const size_t total = size_t(std::max(length, 0)) + batch::kLogOverhead;
        if (length < 0 || total > records.size() - at)
            break;
        size.records += uint64_t(std::max(readBigEndian<int32_t>(records.data() + at + batch::kRecordsCount), 0));
        at += total;
    }
    return size;
}

int32_t RecordBatchHeader::lastSequence() const
{
    if (baseSequence < 0)
        return baseSequence;
    // Wrap at INT32_MAX like Kafka's DefaultRecordBatch.incrementSequence.
    int64_t last = static_cast<int64_t>(baseSequence) + lastOffsetDelta;
    if (last > std::numeric_limits<int32_t>::max())
        last -= static_cast<int64_t>(std::numeric_limits<int32_t>::max()) + 1;
    return static_cast<int32_t>(last);
}

uint32_t computeBatchCrc(const char *data, size_t size)
{
    return crc32c(0, data + batch::kAttributes, size - batch::kAttributes);
}

std::string checkStoredBatch(const char *data, size_t available, bool verifyCrc)
{
    if (available < batch::kHeaderSize)
        return "incomplete batch header (" + std::to_string(available) + " bytes)";
    auto h = RecordBatchHeader::parse(data);
    if (h.magic != 2)
        return "magic " + std::to_string(h.magic) + " (expected 2)";
    if (h.batchLength < static_cast<int32_t>(batch::kHeaderSize - batch::kLogOverhead))
        return "batch length " + std::to_string(h.batchLength) + " below the header size";
    if (h.totalSize() > available)
        return "batch length " + std::to_string(h.batchLength) + " runs past the end of the data";
    if (h.lastOffsetDelta < 0 || h.recordsCount < 0)
        return "negative lastOffsetDelta/recordsCount";
    if (verifyCrc) {
        uint32_t actual = computeBatchCrc(data, h.totalSize());
        if (actual != h.crc)
            return "CRC mismatch (stored " + std::to_string(h.crc) + ", computed " + std::to_string(actual) + ")";
    }
    return {};
}

namespace {

// True when the records of an uncompressed batch tile its body exactly.
bool recordsTileBody(const char *d, size_t size, int32_t count)
{
    size_t pos = batch::kHeaderSize;
    for (int32_t i = 0; i < count; ++i) {
        int64_t len = 0;
        if (!readVarlong(d, size, &pos, &len) || len <= 0 || static_cast<uint64_t>(len) > size - pos)
            return false;
        pos += static_cast<size_t>(len);
    }
    return pos == size;
}

} // namespace

ValidatedBatches validateBatches(std::string_view records, int32_t maxMessageBytes)
{
    ValidatedBatches out;
    auto fail = [&](LogErrc e, size_t pos, const std::string &what) {
        out.error = e;
        out.message = "record set byte " + std::to_string(pos) + ": " + what;
        out.batches.clear();
        return out;
    };
    if (records.empty())
        return fail(LogErrc::CorruptMessage, 0, "empty record set");
    size_t pos = 0;
    while (pos < records.size()) {
        const char *d = records.data() + pos;
        size_t avail = records.size() - pos;
        // Magic sits at byte 16; check it before trusting anything else the header says.
        if (avail > batch::kMagic && d[batch::kMagic] != 2)
            return fail(LogErrc::UnsupportedForMessageFormat, pos,
                        "record batch magic " + std::to_string(static_cast<int>(d[batch::kMagic])) +
                            " is not supported (only v2)");
        if (avail < batch::kHeaderSize)
            return fail(LogErrc::CorruptMessage, pos, "truncated batch header");
        auto h = RecordBatchHeader::parse(d);
        if (h.batchLength < static_cast<int32_t>(batch::kHeaderSize - batch::kLogOverhead))
            return fail(LogErrc::CorruptMessage, pos, "batch length " + std::to_string(h.batchLength) + " too small");
        if (h.totalSize() > avail)
            return fail(LogErrc::CorruptMessage, pos,
                        "batch length " + std::to_string(h.batchLength) + " runs past the record set (" +
                            std::to_string(avail) + " bytes left)");
        if (maxMessageBytes >= 0 && h.totalSize() > static_cast<size_t>(maxMessageBytes))
            return fail(LogErrc::MessageTooLarge, pos,
                        "batch of " + std::to_string(h.totalSize()) + " bytes exceeds max.message.bytes " +
                            std::to_string(maxMessageBytes));
        uint32_t crc = computeBatchCrc(d, h.totalSize());
        if (crc != h.crc)
            return fail(LogErrc::CorruptMessage, pos, "batch CRC mismatch");
        // Checked after the CRC: attributes of a damaged batch say nothing. A codec no consumer
        // can decode must not be stored, or every reader stops at this offset for good.
        if (h.compression() > batch::kMaxCompressionCodec)
            return fail(LogErrc::UnsupportedCompressionType, pos,
                        "compression codec " + std::to_string(h.compression()) +
                            " is unknown (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd)");
        if (h.recordsCount <= 0 || h.lastOffsetDelta != h.recordsCount - 1)
            return fail(LogErrc::CorruptMessage, pos,
                        "recordsCount " + std::to_string(h.recordsCount) + " inconsistent with lastOffsetDelta " +
                            std::to_string(h.lastOffsetDelta));
        if (h.compression() == 0 && !recordsTileBody(d, h.totalSize(), h.recordsCount))
            return fail(LogErrc::CorruptMessage, pos, "record lengths do not match the batch length");
        out.batches.push_back({pos, h});
        pos += h.totalSize();
    }
    return out;
}

void setBaseOffset(char *d, int64_t baseOffset) { writeBigEndian<int64_t>(d + batch::kBaseOffset, baseOffset); }

void setPartitionLeaderEpoch(char *d, int32_t leaderEpoch)
{
    writeBigEndian<int32_t>(d + batch::kPartitionLeaderEpoch, leaderEpoch);
}

void setLogAppendTime(char *d, size_t size, int64_t timestampMs)
{
    auto attrs = readBigEndian<int16_t>(d + batch::kAttributes);
    writeBigEndian<int16_t>(d + batch::kAttributes, static_cast<int16_t>(attrs | batch::kTimestampTypeBit));
    writeBigEndian<int64_t>(d + batch::kMaxTimestamp, timestampMs);
    writeBigEndian<uint32_t>(d + batch::kCrc, computeBatchCrc(d, size));
}

} // namespace skiff::log
