#include "kafka/server/ProducerIdHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/InitProducerId.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/KafkaLog.h"
#include "metadata.pb.h"

namespace skiff::kafka {

void ProducerIdHandler::handle(RequestInfo info, const InitProducerIdRequest &request)
{
    if (request.transactionalId) {
        qCInfo(lcKafka, "refusing transactional producer '%s' from %s: transactions are not supported",
               request.transactionalId->c_str(), qPrintable(info.responder.peer()));
        InitProducerIdResponse response;
        response.errorCode = toWire(ErrorCode::TransactionalIdAuthorizationFailed);
        info.reply(response);
        return;
    }
    // KIP-679: an idempotent producer needs IDEMPOTENT_WRITE on the cluster, or WRITE on some topic.
    if (const auto image = m_context.image();
        !m_context.authorizer.allowsCluster(info, *image, metadata::AclOperation::IdempotentWrite, RequestAuthorizer::Denial::Quiet)
        && !m_context.authorizer.allowsAnyOfType(info, *image, metadata::AclOperation::Write, metadata::AclResourceType::Topic)) {
        InitProducerIdResponse response;
        response.errorCode = toWire(ErrorCode::ClusterAuthorizationFailed);
        info.reply(response);
        return;
    }
    // KIP-360: a producer that already has an id asks for a bumped epoch after an error.
    if (request.producerId >= 0 && request.producerEpoch >= 0 && request.producerEpoch < INT16_MAX - 1) {
        InitProducerIdResponse response;
        response.producerId = request.producerId;
        response.producerEpoch = int16_t(request.producerEpoch + 1);
        info.reply(response);
        return;
    }
    withFreshId([info = std::move(info)](int64_t producerId, int16_t errorCode) mutable {
        InitProducerIdResponse response;
        response.errorCode = errorCode;
        response.producerId = errorCode ? -1 : producerId;
        response.producerEpoch = 0;
        info.reply(response);
    });
}

void ProducerIdHandler::withFreshId(std::function<void(int64_t, int16_t)> use)
{
    if (m_next < m_end) {
        use(int64_t(m_next++), 0);
        return;
    }
    m_waiting.push_back(std::move(use));
    if (m_allocating)
        return;
    m_allocating = true;
    metadata::Command command;
    command.mutable_allocate_producer_ids()->set_broker_id(m_context.nodeId());
    command.mutable_allocate_producer_ids()->set_count(kBlockSize);
    m_context.controller.submit(command, m_context.owner, [this](metadata::ApplyResult result) {
        m_allocating = false;
        auto waiting = std::move(m_waiting);
        m_waiting.clear();
        if (!result.status.isOk()) {
            qCWarning(lcKafka, "producer id allocation failed: %s", result.status.toString().c_str());
            for (auto &w : waiting)
                w(-1, toWire(ErrorCode::CoordinatorNotAvailable));
            return;
        }
        m_next = result.value;
        m_end = result.value + kBlockSize;
        for (auto &w : waiting)
            withFreshId(std::move(w));
    });
}

} // namespace skiff::kafka
