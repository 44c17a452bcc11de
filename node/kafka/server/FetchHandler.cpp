#include "kafka/server/FetchHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/Fetch.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/ClientQuotaEnforcer.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/ReplicaManager.h"
#include "log/PartitionLog.h"
#include "log/RecordBatch.h"

#include <algorithm>
#include <set>
#include <string>

namespace skiff::kafka {
namespace {

struct PendingFetch {
    RequestInfo info;
    FetchRequest request;
    std::set<std::string> denied;   // topics the client may not read: TOPIC_AUTHORIZATION_FAILED
    bool answered = false;
};

// The topics of `request` the client may not read: a consumer needs READ on each, a follower
// CLUSTER_ACTION on the cluster (Kafka's rules; each decided once, when the request arrives).
std::set<std::string> deniedTopics(const BrokerContext &context, const RequestInfo &info, const FetchRequest &request)
{
    std::set<std::string> denied;
    if (!context.authorizer.enabled())
        return denied;
    const auto image = context.image();
    const bool follower = request.replicaId >= 0;
    if (follower && context.authorizer.allowsCluster(info, *image, metadata::AclOperation::ClusterAction))
        return denied;
    for (const auto &topic : request.topics)
        if (follower || !context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Read, topic.topic))
            denied.insert(topic.topic);
    return denied;
}

// Reads every requested partition once; returns the response and the bytes it carries.
// `quotaWindowBytes`: a consumer's consumer_byte_rate over the quota window bounds the response
// as Kafka bounds it (getMaxValueInQuotaWindow), so one fetch cannot earn an endless throttle.
std::pair<FetchResponse, int64_t> readAll(BrokerContext &context, const FetchRequest &request, const std::set<std::string> &denied,
                                          int16_t version, bool &anyError, std::optional<double> quotaWindowBytes)
{
    bool answerNow = false;
    // Fetch before v6 predates KAFKA_STORAGE_ERROR: such clients get what makes them look again.
    const int16_t storageError = toWire(version >= 6 ? ErrorCode::KafkaStorageError : ErrorCode::NotLeaderOrFollower);
    FetchResponse response;
    const auto image = context.image();
    int64_t total = 0;
    int64_t maxBytes = request.maxBytes > 0 ? request.maxBytes : INT32_MAX;
    if (quotaWindowBytes)
        maxBytes = std::min<int64_t>(maxBytes, std::max<int64_t>(1, int64_t(std::min(*quotaWindowBytes, double(INT32_MAX)))));
    for (const auto &topic : request.topics) {
        FetchResponse::Topic t;
        t.topic = topic.topic;
        for (const auto &p : topic.partitions) {
            FetchResponse::Partition part;
            part.partitionIndex = p.partition;
            const TopicPartition tp{topic.topic, p.partition};
            if (denied.contains(topic.topic)) {
                part.errorCode = toWire(ErrorCode::TopicAuthorizationFailed);
                part.highWatermark = part.lastStableOffset = part.logStartOffset = -1;
                part.records = std::string();
                anyError = true;
                t.partitions.push_back(std::move(part));
                continue;
            }
            auto [log, partitionInfo, error] = context.partitions.leaderLog(*image, tp, p.currentLeaderEpoch);
            part.errorCode = error;
            // A follower (replica_id >= 0) reads to the log end, after its own checks; a consumer
            // reads to the high watermark.
            const bool replica = request.replicaId >= 0;
            std::optional<ReplicaManager::ReplicaFetchCheck> check;
            if (log && replica) {
                check = context.partitions.replicas().onReplicaFetch(tp, uint64_t(request.replicaId), p, *log);
                part.errorCode = check->error;
            }
            if (log && part.errorCode == 0) {
                const int64_t hw = log->highWatermark();
                const int64_t upTo = replica ? log->logEndOffset() : hw;
                part.highWatermark = hw;
                part.lastStableOffset = hw;
                part.logStartOffset = log->logStartOffset();
                part.abortedTransactions = std::vector<FetchResponse::AbortedTransaction>{};
                if (check && check->diverging) {
                    part.divergingEpoch = *check->diverging;
                    answerNow = true;   // the follower truncates before it fetches again
                } else if (p.fetchOffset < log->logStartOffset() || p.fetchOffset > log->logEndOffset()) {
                    part.errorCode = toWire(ErrorCode::OffsetOutOfRange);
                } else if (p.fetchOffset < upTo) {
                    // KIP-74: the first batch is returned even past the limits, so progress is
                    // always possible; after that, limits are respected.
                    const int64_t budget = std::min<int64_t>(p.partitionMaxBytes, std::max<int64_t>(maxBytes - total, 0));
                    if (budget > 0 || total == 0) {
                        auto read = log->read(p.fetchOffset, total == 0 ? std::max<int64_t>(budget, 1) : budget, upTo);
                        if (read.isOk()) {
                            if (total > 0 && int64_t(read->records.size()) > budget)
                                read->records.clear();
                            total += int64_t(read->records.size());
                            part.records = std::move(read->records);
                        } else if (read.status().code() == StatusCode::OutOfRange) {
                            part.errorCode = toWire(ErrorCode::OffsetOutOfRange);
                        } else {
                            part.errorCode = toWire(ErrorCode::KafkaStorageError);
                        }
                    }
                }
            }
            if (!part.records)
                part.records = std::string();
            if (part.errorCode == toWire(ErrorCode::KafkaStorageError))
                part.errorCode = storageError;
            if (part.errorCode != 0) {
                anyError = true;
                part.highWatermark = -1;
                part.lastStableOffset = -1;
                // A follower out of range starts over at the leader's log start: it needs it.
                if (!(request.replicaId >= 0 && part.errorCode == toWire(ErrorCode::OffsetOutOfRange)))
                    part.logStartOffset = -1;
            }
            t.partitions.push_back(std::move(part));
        }
        response.responses.push_back(std::move(t));
    }
    anyError = anyError || answerNow;
    return {std::move(response), total};
}

// What an answered fetch carried, per topic, to consumers or to a follower.
void countSent(TopicTraffic &traffic, const FetchResponse &response, bool toReplica)
{
    for (const auto &t : response.responses) {
        log::RecordSetSize sent;
        for (const auto &p : t.partitions) {
            if (!p.records || p.records->empty())
                continue;
            const log::RecordSetSize size = log::measureRecordSet(*p.records);
            sent.records += size.records;
            sent.bytes += size.bytes;
        }
        if (sent.bytes == 0)
            continue;
        if (toReplica)
            traffic.sentToReplica(t.topic, sent.records, sent.bytes);
        else
            traffic.sentToConsumer(t.topic, sent.records, sent.bytes);
    }
}

} // namespace

bool FetchHandler::answerThrottled(RequestInfo &info, const FetchResponse &response, const std::string &user,
                                   const std::string &clientId)
{
    // Kafka records the whole response's size against consumer_byte_rate; over it, the client gets
    // an empty response carrying the throttle time instead, and the bytes are taken back (they
    // were not sent). Fetch sessions are declined, so an empty full response is what Kafka's
    // sessionless context answers.
    std::string frame;
    encodeResponseFrame(frame, info.header, response);
    const double size = double(frame.size() - 4);   // without the size prefix
    const int64_t now = ClientQuotaEnforcer::nowMs();
    const int64_t throttle = m_context.quotas->record(QuotaType::Fetch, user, clientId, size, now);
    if (throttle <= 0)
        return false;
    m_context.quotas->unrecord(QuotaType::Fetch, user, clientId, size, now);
    FetchResponse empty;
    empty.throttleTimeMs = int32_t(throttle);
    info.responder.throttle(throttle);
    info.reply(empty);
    return true;
}

void FetchHandler::handle(RequestInfo info, FetchRequest request)
{
    // Fetch sessions (KIP-227) are declined: session id 0 tells the client to keep sending full
    // fetch requests, which every client supports.
    info.responder.countAs(request.replicaId >= 0 ? RequestVariant::FetchReplica : RequestVariant::FetchConsumer);
    std::set<std::string> denied = deniedTopics(m_context, info, request);
    auto pending = std::make_shared<PendingFetch>(PendingFetch{std::move(info), std::move(request), std::move(denied)});
    auto tryComplete = [this, pending](bool expired) {
        if (pending->answered)
            return true;
        if (pending->info.responder.isClosed()) {
            pending->answered = true;
            return true;
        }
        bool anyError = false;
        const bool consumer = pending->request.replicaId < 0;
        const std::string user = quotaUser(pending->info.principal);
        const std::string clientId = pending->info.header.clientId.value_or(std::string());
        std::optional<double> quotaWindowBytes;
        if (consumer && m_context.quotas)
            quotaWindowBytes = m_context.quotas->maxValueInWindow(QuotaType::Fetch, user, clientId);
        auto [response, bytes] =
            readAll(m_context, pending->request, pending->denied, pending->info.apiVersion(), anyError, quotaWindowBytes);
        // A request naming no partition has nothing to wait for (the Java consumer sends one as
        // it closes, and waited out fetch.max.wait.ms here): answered at once, as Kafka does.
        const bool nothingAsked = pending->request.topics.empty();
        if (!expired && !anyError && !nothingAsked && bytes < pending->request.minBytes && pending->request.maxWaitMs > 0)
            return false;
        pending->answered = true;
        if (quotaWindowBytes && answerThrottled(pending->info, response, user, clientId))
            return true;   // nothing of `response` was sent
        if (TopicTraffic *traffic = m_context.partitions.traffic())
            countSent(*traffic, response, pending->request.replicaId >= 0);
        pending->info.reply(std::move(response));   // its records move into the frame
        return true;
    };
    if (tryComplete(false))
        return;
    std::vector<TopicPartition> partitions;
    for (const auto &t : pending->request.topics)
        for (const auto &p : t.partitions)
            partitions.push_back({t.topic, p.partition});
    m_context.partitions.delayedFetches().park(std::move(partitions), pending->request.maxWaitMs, tryComplete);
}

} // namespace skiff::kafka
