#pragma once
// Produce: validates every batch (magic 2, CRC-32C, size), checks idempotent sequences, appends
// with offsets assigned by the log, and answers acks=1/-1 only once the data is durable (fsync
// mode). acks=0 gets no response at all, as Kafka does.

#include "kafka/server/RequestInfo.h"

namespace skiff::kafka {

struct BrokerContext;
struct ProduceRequest;

class ProduceHandler {
public:
    explicit ProduceHandler(BrokerContext &context) : m_context(context) {}
    void handle(RequestInfo info, ProduceRequest request);

private:
    BrokerContext &m_context;
};

} // namespace skiff::kafka
