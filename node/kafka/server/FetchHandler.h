#pragma once
// Fetch: returns stored batches as stored, up to the high watermark, honouring max_bytes and
// partition max_bytes (always at least one whole batch so a large batch cannot stall a
// consumer). A fetch that finds fewer than min_bytes waits, up to max_wait_ms, in the shared
// DelayedFetches set and is looked at again only when one of its partitions gains data.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct FetchRequest;

class FetchHandler {
public:
    explicit FetchHandler(BrokerContext &context) : m_context(context) {}
    void handle(RequestInfo info, FetchRequest request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
