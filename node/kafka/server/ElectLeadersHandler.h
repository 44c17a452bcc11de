#pragma once
// ElectLeaders (key 43): plans the elections on the current image (metadata/LeaderElections.h),
// proposes one ElectLeaders command through the metadata controller, and answers each
// partition with Kafka's code once the command is applied. TimeoutMs is not used: the answer
// comes when the command is applied (or fails), which the controller bounds itself.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct ElectLeadersRequest;

class ElectLeadersHandler {
public:
    explicit ElectLeadersHandler(BrokerContext &context) : m_context(context) {}

    void handle(RequestInfo info, const ElectLeadersRequest &request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
