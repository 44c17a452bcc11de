#pragma once
// Per-partition storage settings (Kafka topic config names in comments).

#include "common/Status.h"
#include "log/RecordBatch.h"

#include <cstdint>

namespace skiff::log {

struct LogConfig {
    int64_t segmentBytes = 1LL << 30;              // segment.bytes
    int64_t segmentMs = 7LL * 24 * 3600 * 1000;    // segment.ms, from the first batch of the segment
    int64_t retentionMs = 7LL * 24 * 3600 * 1000;  // retention.ms, -1 = keep forever
    int64_t retentionBytes = -1;                   // retention.bytes, -1 = unlimited
    int32_t maxMessageBytes = 1048588;             // max.message.bytes (one batch incl. 12-byte prefix)
    TimestampType timestampType = TimestampType::CreateTime; // message.timestamp.type
    int32_t indexIntervalBytes = 4096;             // index.interval.bytes
};

// InvalidArgument naming the offending key when a value is out of range (segment.bytes must fit
// the 32-bit index positions, segment.ms > 0, retention -1 or >= 0, ...).
Status validateLogConfig(const LogConfig &config);

} // namespace skiff::log
