#pragma once
// InitProducerId for idempotent producers. Producer ids come in blocks allocated through the
// metadata log (AllocateProducerIds), so an id is never handed out twice, across restarts too.
// Transactions are not supported: a transactional id is refused with a clear error.

#include "kafka/server/RequestInfo.h"

#include <cstdint>
#include <functional>
#include <vector>

namespace skiff::kafka {

struct BrokerContext;
struct InitProducerIdRequest;

class ProducerIdHandler {
public:
    explicit ProducerIdHandler(BrokerContext &context) : m_context(context) {}
    void handle(RequestInfo info, const InitProducerIdRequest &request);

private:
    void withFreshId(std::function<void(int64_t producerId, int16_t errorCode)> use);

    static constexpr uint32_t kBlockSize = 1000;
    BrokerContext &m_context;
    uint64_t m_next = 0;
    uint64_t m_end = 0;
    bool m_allocating = false;
    std::vector<std::function<void(int64_t, int16_t)>> m_waiting;
};

} // namespace skiff::kafka
