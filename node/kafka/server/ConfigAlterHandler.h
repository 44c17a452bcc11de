#pragma once
// AlterConfigs and IncrementalAlterConfigs. Topic configs change through the metadata log
// (an AlterTopicConfig command planned by metadata/TopicPlanner.h with the same config rules as
// CreateTopics), answered once applied, as CreateTopics is. Broker configs are static (the node's
// TOML file), so a broker resource is refused with INVALID_REQUEST, the code Kafka gives a config
// that cannot be changed dynamically; any other resource type is refused with INVALID_REQUEST too.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct AlterConfigsRequest;
struct IncrementalAlterConfigsRequest;
class TopicAdminHandler;

class ConfigAlterHandler {
public:
    ConfigAlterHandler(BrokerContext &context, TopicAdminHandler &topics);

    void alterConfigs(RequestInfo info, const AlterConfigsRequest &request);
    void incrementalAlterConfigs(RequestInfo info, const IncrementalAlterConfigsRequest &request);

private:
    template <class Response, class Request>
    void alter(RequestInfo info, const Request &request, bool replaceAll);

    BrokerContext &m_context;
    TopicAdminHandler &m_topics;
};

} // namespace skiff::kafka
