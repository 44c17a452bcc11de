#pragma once
// Produce: validates every batch (magic 2, CRC-32C, size), checks idempotent sequences, appends
// with offsets assigned by the log, and answers acks=1/-1 only once the data is durable (fsync
// mode). acks=0 gets no response at all, as Kafka does.

#include "core/RateLimitedLog.h"
#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct ProduceRequest;

class ProduceHandler {
public:
    explicit ProduceHandler(BrokerContext &context);
    void handle(RequestInfo info, ProduceRequest request);

private:
    BrokerContext &m_context;
    // A full or failing disk fails every append: one line, then a count every 10 s.
    core::RateLimitedLog m_appendFailures;
};

} // namespace skiff::kafka
