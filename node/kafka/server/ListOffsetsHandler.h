#pragma once
// ListOffsets: earliest (-2), latest (-1), max timestamp (-3) and the first offset at or after a
// timestamp (through each segment's time index).

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct ListOffsetsRequest;

class ListOffsetsHandler {
public:
    explicit ListOffsetsHandler(BrokerContext &context) : m_context(context) {}
    void handle(RequestInfo info, const ListOffsetsRequest &request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
