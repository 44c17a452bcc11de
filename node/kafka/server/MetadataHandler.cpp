#include "kafka/server/MetadataHandler.h"

#include "common/TopicRules.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/Metadata.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/Completion.h"
#include "kafka/server/GroupCoordinator.h"
#include "kafka/server/ListedBrokers.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/TopicAdminHandler.h"
#include "metadata/PartitionServing.h"

#include <algorithm>
#include <map>

namespace skiff::kafka {
namespace {

std::vector<int32_t> ids(const std::vector<uint64_t> &in)
{
    return {in.begin(), in.end()};
}

} // namespace

void MetadataHandler::handle(RequestInfo info, MetadataRequest request)
{
    // v0: an empty list asks for every topic; v1+: null asks for every topic.
    if (info.apiVersion() == 0 && request.topics && request.topics->empty())
        request.topics.reset();

    const auto image = m_context.image();
    const bool mayCreate = m_context.config.autoCreateTopics && (info.apiVersion() < 4 || request.allowAutoTopicCreation);
    const RequestAuthorizer &authorizer = m_context.authorizer;
    using metadata::AclOperation;
    std::vector<std::string> toCreate;
    auto errors = std::make_shared<std::vector<std::pair<std::string, int16_t>>>();
    if (request.topics) {
        for (const auto &t : *request.topics) {
            if (!t.name)
                continue;
            // Kafka: a named topic needs DESCRIBE; creating a missing one, CREATE on the cluster
            // or on the topic. Either refused is TOPIC_AUTHORIZATION_FAILED for that topic.
            if (!authorizer.allowsTopic(info, *image, AclOperation::Describe, *t.name)) {
                errors->emplace_back(*t.name, toWire(ErrorCode::TopicAuthorizationFailed));
                continue;
            }
            if (image->topic(*t.name) || !mayCreate || !validateTopicName(*t.name).isOk())
                continue;
            if (authorizer.allowsCluster(info, *image, AclOperation::Create, RequestAuthorizer::Denial::Quiet)
                || authorizer.allowsTopic(info, *image, AclOperation::Create, *t.name))
                toCreate.push_back(*t.name);
            else
                errors->emplace_back(*t.name, toWire(ErrorCode::TopicAuthorizationFailed));
        }
    }
    if (toCreate.empty()) {
        respond(info, request, *errors);
        return;
    }
    auto completion = Completion::create([this, info = std::move(info), request = std::move(request), errors]() mutable {
        respond(info, request, *errors);
    });
    for (const auto &name : toCreate) {
        completion->add();
        m_admin.autoCreate(name, [name, errors, completion](TopicAdminHandler::Outcome outcome) {
            if (!outcome.ok())
                errors->emplace_back(name, toWire(outcome.code));
            completion->finishOne();
        });
    }
    completion->arm();
}

void MetadataHandler::respond(RequestInfo &info, const MetadataRequest &request,
                              const std::vector<std::pair<std::string, int16_t>> &errors)
{
    const auto image = m_context.image();
    MetadataResponse response;
    const std::vector<ListedBroker> listed = listedBrokers(*image, info.listenerName());
    for (const ListedBroker &b : listed)
        response.brokers.push_back({b.id, b.host, b.port, b.rack});
    response.clusterId = m_context.config.clusterId;
    response.controllerId = controllerToName(listed, m_context.nodeId());

    auto addTopic = [&](const metadata::TopicInfo &topic) {
        MetadataResponse::Topic t;
        t.name = topic.name;
        t.isInternal = topic.name == GroupCoordinator::kTopic;
        std::copy(topic.id.begin(), topic.id.end(), t.topicId.begin());
        for (const auto &p : topic.partitions) {
            MetadataResponse::Partition part;
            part.partitionIndex = p.partition;
            // This broker knows first when it cannot open its own copy (the metadata hears it next).
            const bool offlineHere = m_context.partitions.isOffline({topic.name, p.partition});
            const metadata::PartitionServing serving =
                metadata::servingOf(*image, p, offlineHere ? m_context.nodeId() : 0);
            const uint64_t leader = m_context.leaderToName(serving.leader);
            part.leaderId = leader ? int32_t(leader) : -1;
            part.errorCode = leader ? 0 : toWire(ErrorCode::LeaderNotAvailable);
            part.leaderEpoch = p.leaderEpoch;
            part.replicaNodes = ids(p.replicas);
            part.isrNodes = ids(p.isr);
            part.offlineReplicas = ids(serving.offlineReplicas);
            t.partitions.push_back(std::move(part));
        }
        if (request.includeTopicAuthorizedOperations)
            t.topicAuthorizedOperations =
                m_context.authorizer.authorizedOperations(info, *image, metadata::AclResourceType::Topic, topic.name);
        response.topics.push_back(std::move(t));
    };
    if (request.includeClusterAuthorizedOperations && info.apiVersion() >= 8 && info.apiVersion() <= 10)
        response.clusterAuthorizedOperations = m_context.authorizer.authorizedOperations(
            info, *image, metadata::AclResourceType::Cluster, metadata::kClusterResourceName);

    if (!request.topics) {
        // Internal topics are listed only when asked for by name, as Kafka's clients expect; the
        // others only when the client may describe them (quietly: a filter, not a refusal).
        for (const auto &[name, topic] : image->topics)
            if (name != GroupCoordinator::kTopic
                && m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Describe, name,
                                                    RequestAuthorizer::Denial::Quiet))
                addTopic(*topic);
    } else {
        std::map<std::string, int16_t> failed(errors.begin(), errors.end());
        for (const auto &requested : *request.topics) {
            if (auto f = requested.name ? failed.find(*requested.name) : failed.end();
                f != failed.end() && f->second == toWire(ErrorCode::TopicAuthorizationFailed)) {
                MetadataResponse::Topic t;
                t.name = requested.name;
                t.errorCode = f->second;
                response.topics.push_back(std::move(t));
                continue;
            }
            const metadata::TopicInfo *topic = nullptr;
            if (requested.name) {
                topic = image->topic(*requested.name);
            } else {
                for (const auto &[name, candidate] : image->topics)
                    if (std::equal(candidate->id.begin(), candidate->id.end(), requested.topicId.begin()))
                        topic = candidate.get();
            }
            if (topic && !requested.name
                && !m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Describe, topic->name)) {
                MetadataResponse::Topic t;
                t.topicId = requested.topicId;
                t.errorCode = toWire(ErrorCode::TopicAuthorizationFailed);
                response.topics.push_back(std::move(t));
                continue;
            }
            if (topic) {
                addTopic(*topic);
                continue;
            }
            MetadataResponse::Topic t;
            t.name = requested.name;
            t.topicId = requested.topicId;
            if (!requested.name)
                t.errorCode = toWire(ErrorCode::UnknownTopicId);
            else if (!validateTopicName(*requested.name).isOk())
                t.errorCode = toWire(ErrorCode::InvalidTopicException);
            else if (auto f = failed.find(*requested.name); f != failed.end())
                t.errorCode = f->second;
            else
                t.errorCode = toWire(ErrorCode::UnknownTopicOrPartition);
            response.topics.push_back(std::move(t));
        }
    }
    m_context.sendElsewhereWhenFenced(info.responder);
    info.reply(response);
}

} // namespace skiff::kafka
