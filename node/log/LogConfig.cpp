#include "log/LogConfig.h"

#include <limits>

namespace skiff::log {

Status validateLogConfig(const LogConfig &c)
{
    auto bad = [](const char *key, int64_t value, const char *rule) {
        return invalidArgument(std::string(key) + "=" + std::to_string(value) + " is invalid: " + rule);
    };
    if (c.segmentBytes < static_cast<int64_t>(batch::kHeaderSize) || c.segmentBytes > std::numeric_limits<int32_t>::max())
        return bad("segment.bytes", c.segmentBytes, "must be between 61 and 2147483647");
    if (c.segmentMs <= 0)
        return bad("segment.ms", c.segmentMs, "must be positive");
    if (c.retentionMs < -1)
        return bad("retention.ms", c.retentionMs, "must be -1 (forever) or >= 0");
    if (c.retentionBytes < -1)
        return bad("retention.bytes", c.retentionBytes, "must be -1 (unlimited) or >= 0");
    if (c.maxMessageBytes < 0)
        return bad("max.message.bytes", c.maxMessageBytes, "must be >= 0");
    if (c.indexIntervalBytes < 0)
        return bad("index.interval.bytes", c.indexIntervalBytes, "must be >= 0");
    return Status::ok();
}

} // namespace skiff::log
