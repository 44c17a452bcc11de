#pragma once
// DescribeProducers (key 61), version 0, flexible (KIP-664). An operator tool
// (kafka-transactions describe-producers, Admin.describeProducers) asks a partition's leader
// for the producers it holds state for.

#include "kafka/protocol/ApiKeys.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace skiff::kafka {

struct DescribeProducersRequest {
    static constexpr ApiKey kApiKey = ApiKey::DescribeProducers;
    static constexpr const char *kName = "DescribeProducersRequest";

    struct Topic {
        std::string name;
        std::vector<int32_t> partitionIndexes;
        bool operator==(const Topic &) const = default;
    };

    std::vector<Topic> topics;

    bool operator==(const DescribeProducersRequest &) const = default;
};

struct DescribeProducersResponse {
    static constexpr ApiKey kApiKey = ApiKey::DescribeProducers;
    static constexpr const char *kName = "DescribeProducersResponse";

    struct ProducerState {
        int64_t producerId = 0;
        int32_t producerEpoch = 0;
        int32_t lastSequence = -1;
        int64_t lastTimestamp = -1;
        int32_t coordinatorEpoch = 0;
        int64_t currentTxnStartOffset = -1;
        bool operator==(const ProducerState &) const = default;
    };
    struct Partition {
        int32_t partitionIndex = 0;
        int16_t errorCode = 0;
        std::optional<std::string> errorMessage;
        std::vector<ProducerState> activeProducers;
        bool operator==(const Partition &) const = default;
    };
    struct Topic {
        std::string name;
        std::vector<Partition> partitions;
        bool operator==(const Topic &) const = default;
    };

    int32_t throttleTimeMs = 0;
    std::vector<Topic> topics;

    bool operator==(const DescribeProducersResponse &) const = default;
};

} // namespace skiff::kafka
