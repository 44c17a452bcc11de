#pragma once
// Metadata: brokers, controller and topics, built from this node's applied metadata image.
// Unknown topics are auto-created when the broker and the request allow it; the response waits
// for the creation to be applied so the client sees the topic with its leaders right away.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct MetadataRequest;
class TopicAdminHandler;

class MetadataHandler {
public:
    MetadataHandler(BrokerContext &context, TopicAdminHandler &admin) : m_context(context), m_admin(admin) {}
    void handle(RequestInfo info, MetadataRequest request);

private:
    void respond(RequestInfo &info, const MetadataRequest &request, const std::vector<std::pair<std::string, int16_t>> &errors);

    BrokerContext &m_context;
    TopicAdminHandler &m_admin;
};

} // namespace skiff::kafka
