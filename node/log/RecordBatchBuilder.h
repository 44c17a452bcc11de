#pragma once
// Builds valid, uncompressed v2 record batches. Used by tests, the broker's tests and internal
// topics (which write their own records).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace skiff::log {

struct Record {
    std::optional<std::string> key;   // nullopt = null key
    std::optional<std::string> value; // nullopt = null value (tombstone)
    std::vector<std::pair<std::string, std::string>> headers;
    int64_t timestampMs = 0;
};

class RecordBatchBuilder {
public:
    RecordBatchBuilder &setBaseOffset(int64_t baseOffset);
    // Idempotent producer identity; baseSequence is the sequence of the first record.
    RecordBatchBuilder &setProducer(int64_t producerId, int16_t producerEpoch, int32_t baseSequence);
    RecordBatchBuilder &setLogAppendTime(bool logAppendTime);

    RecordBatchBuilder &add(Record record);
    RecordBatchBuilder &add(std::string key, std::string value, int64_t timestampMs);

    bool empty() const { return m_records.empty(); }

    // The complete batch bytes (baseOffset .. last record), CRC filled in. Needs >= 1 record.
    std::string build() const;

private:
    std::vector<Record> m_records;
    int64_t m_baseOffset = 0;
    int64_t m_producerId = -1;
    int16_t m_producerEpoch = -1;
    int32_t m_baseSequence = -1;
    bool m_logAppendTime = false;
};

} // namespace skiff::log
