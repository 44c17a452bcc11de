#pragma once
// Outcome of produce-path checks, valued as the Kafka error code the broker must return so the
// mapping cannot drift: the kafka layer casts the value into its ErrorCode type.

#include <cstdint>

namespace skiff::log {

enum class LogErrc : int16_t {
    None = 0,
    OffsetOutOfRange = 1,             // fetch/list below log start or beyond log end
    CorruptMessage = 2,               // CRC mismatch, bad framing, truncated record set
    NotLeaderOrFollower = 6,          // a leader append in an epoch older than one the log holds
    MessageTooLarge = 10,             // one batch larger than max.message.bytes
    UnsupportedForMessageFormat = 43, // magic != 2
    OutOfOrderSequenceNumber = 45,    // idempotent producer: sequence gap, new epoch not at 0
    InvalidProducerEpoch = 47,        // idempotent producer: epoch older than the known one
    KafkaStorageError = 56,           // disk I/O failed
    UnsupportedCompressionType = 76,  // attributes name a codec that is not none/gzip/snappy/lz4/zstd
};

const char *logErrcName(LogErrc e);

} // namespace skiff::log
