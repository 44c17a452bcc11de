#pragma once
// ListOffsets: earliest (-2), latest (-1), max timestamp (-3) and the first offset at or after a
// timestamp (through each segment's time index). OffsetForLeaderEpoch: where an epoch ended in
// the leader's log, which a consumer compares with its position to detect truncation (KIP-320).

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct ListOffsetsRequest;
struct OffsetForLeaderEpochRequest;

class ListOffsetsHandler {
public:
    explicit ListOffsetsHandler(BrokerContext &context) : m_context(context) {}
    void handle(RequestInfo info, const ListOffsetsRequest &request);
    void offsetForLeaderEpoch(RequestInfo info, const OffsetForLeaderEpochRequest &request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
