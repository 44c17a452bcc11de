#pragma once
// Operator views of the logs this broker holds. DescribeLogDirs: the one log directory (the
// node's data directory, absolute) with each hosted partition's size on disk and the volume's
// total and usable bytes (statvfs). DescribeProducers: the idempotent producers a replica of the
// partition holds state for (its producer state table), leader or follower, as in Kafka.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct DescribeLogDirsRequest;
struct DescribeProducersRequest;

class LogDirsHandler {
public:
    explicit LogDirsHandler(BrokerContext &context) : m_context(context) {}

    void describeLogDirs(RequestInfo info, const DescribeLogDirsRequest &request);
    void describeProducers(RequestInfo info, const DescribeProducersRequest &request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
