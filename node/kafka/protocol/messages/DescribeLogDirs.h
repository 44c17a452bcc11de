#pragma once
// DescribeLogDirs (key 35), versions 1-4 (v0, deprecated and dropped by Kafka 4, is not served;
// its layout equals v1). Flexible from v2; the top-level ErrorCode from v3; each directory's
// TotalBytes and UsableBytes from v4. An operator tool (kafka-log-dirs, Admin.describeLogDirs)
// asks a broker which partitions each of its log directories holds and how big they are.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct DescribeLogDirsRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeLogDirs;
    static constexpr const char *kName = "DescribeLogDirsRequest";

    struct Topic {
        std::string topic;
        std::vector<int32_t> partitions;
        bool operator==(const Topic &) const = default;
    };

    std::optional<std::vector<Topic>> topics; // null: every partition the broker hosts

    bool operator==(const DescribeLogDirsRequest &) const = default;
};

struct DescribeLogDirsResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeLogDirs;
    static constexpr const char *kName = "DescribeLogDirsResponse";

    struct Partition {
        int32_t partitionIndex = 0;
        int64_t partitionSize = 0;
        int64_t offsetLag = 0;
        bool isFutureKey = false;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };
    struct Result {
        int16_t errorCode = 0;
        std::string logDir;
        std::vector<Topic> topics;
        int64_t totalBytes = -1;  // v4+
        int64_t usableBytes = -1; // v4+
        bool operator==(const Result &) const = default;
    };

    int32_t throttleTimeMs = 0;
    int16_t errorCode = 0; // v3+
    std::vector<Result> results;

    bool operator==(const DescribeLogDirsResponse &) const = default;
};

} // namespace skiff::kafka
