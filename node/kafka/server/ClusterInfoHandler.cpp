#include "kafka/server/ClusterInfoHandler.h"

#include "core/ConfigKeys.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/ApiVersions.h"
#include "kafka/protocol/messages/DescribeCluster.h"
#include "kafka/protocol/messages/DescribeConfigs.h"
#include "kafka/protocol/messages/DescribeQuorum.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/ListedBrokers.h"

#include <algorithm>

namespace skiff::kafka {
namespace {

// Kafka's ConfigEntry types (DescribeConfigs v3+).
constexpr int8_t kTypeBoolean = 1;
constexpr int8_t kTypeString = 2;
constexpr int8_t kTypeInt = 3;
constexpr int8_t kTypeLong = 5;
constexpr int8_t kTypeList = 7;

int8_t topicConfigType(const std::string &name)
{
    if (name == "cleanup.policy")
        return kTypeList;
    if (name == "unclean.leader.election.enable")
        return kTypeBoolean;
    if (name == "message.timestamp.type" || name == "compression.type")
        return kTypeString;
    if (name == "segment.bytes" || name == "max.message.bytes" || name == "min.insync.replicas")
        return kTypeInt;
    return kTypeLong;
}

bool wanted(const std::optional<std::vector<std::string>> &keys, const std::string &name)
{
    return !keys || std::find(keys->begin(), keys->end(), name) != keys->end();
}

// Kafka answers only a request naming exactly the metadata log's one partition.
bool asksForMetadataLog(const DescribeQuorumRequest &request)
{
    return request.topics.size() == 1 && request.topics[0].topicName == kClusterMetadataTopic &&
           request.topics[0].partitions == std::vector<int32_t>{kClusterMetadataPartition};
}

// Every partition asked for, each with `error`.
DescribeQuorumResponse partitionErrors(const DescribeQuorumRequest &request, ErrorCode error, const std::string &message)
{
    DescribeQuorumResponse response;
    for (const auto &topic : request.topics) {
        auto &t = response.topics.emplace_back();
        t.topicName = topic.topicName;
        for (int32_t index : topic.partitions) {
            auto &p = t.partitions.emplace_back();
            p.partitionIndex = index;
            p.errorCode = toWire(error);
            p.errorMessage = message;
        }
    }
    return response;
}

int32_t asInt32(uint64_t v)
{
    return int32_t(std::min<uint64_t>(v, uint64_t(INT32_MAX)));
}

DescribeQuorumResponse::ReplicaState replicaState(const metadata::QuorumReplica &r)
{
    DescribeQuorumResponse::ReplicaState s;
    s.replicaId = asInt32(r.id);
    s.logEndOffset = r.logEndOffset;
    s.lastFetchTimestamp = r.lastFetchUnixMs;
    s.lastCaughtUpTimestamp = r.lastCaughtUpUnixMs;
    return s;   // replicaDirectoryId stays zero: Skiff's metadata log has no directory ids (KIP-853)
}

DescribeQuorumResponse quorumResponse(const metadata::QuorumDescription &d, const metadata::MetadataImage &image)
{
    DescribeQuorumResponse response;
    auto &p = response.topics.emplace_back(DescribeQuorumResponse::Topic{kClusterMetadataTopic, {}}).partitions.emplace_back();
    p.partitionIndex = kClusterMetadataPartition;
    p.leaderId = asInt32(d.leaderId);
    p.leaderEpoch = asInt32(d.term);
    p.highWatermark = int64_t(std::min<uint64_t>(d.highWatermark, uint64_t(INT64_MAX)));
    for (const auto &r : d.voters) {
        p.currentVoters.push_back(replicaState(r));
        auto &node = response.nodes.emplace_back();   // written from v2 only
        node.nodeId = asInt32(r.id);
        if (const metadata::BrokerInfo *b = image.broker(r.id))
            for (const metadata::BrokerEndpoint &e : metadata::endpointsOf(*b))
                node.listeners.push_back({e.listener, e.host, e.port});
    }
    for (const auto &r : d.observers)
        p.observers.push_back(replicaState(r));
    return response;
}

} // namespace

void ClusterInfoHandler::apiVersions(RequestInfo info, const ApiVersionsRequest &)
{
    ApiVersionsResponse response;
    response.apiKeys = advertisedApiVersions();
    info.reply(response);
}

void ClusterInfoHandler::describeCluster(RequestInfo info, const DescribeClusterRequest &request)
{
    const auto image = m_context.image();
    DescribeClusterResponse response;
    response.endpointType = request.endpointType;
    response.clusterId = m_context.config.clusterId;
    const std::vector<ListedBroker> listed = listedBrokers(*image, info.listenerName());
    response.controllerId = controllerToName(listed, m_context.nodeId());
    if (request.endpointType != 1) {
        response.errorCode = toWire(ErrorCode::InvalidRequest);
        response.errorMessage = "only broker endpoints (type 1) are served";
    } else {
        for (const ListedBroker &b : listed)
            response.brokers.push_back({b.id, b.host, b.port, b.rack});
    }
    if (request.includeClusterAuthorizedOperations)
        response.clusterAuthorizedOperations = m_context.authorizer.authorizedOperations(
            info, *image, metadata::AclResourceType::Cluster, metadata::kClusterResourceName);
    info.reply(response);
}

void ClusterInfoHandler::describeQuorum(RequestInfo info, const DescribeQuorumRequest &request)
{
    if (!m_context.authorizer.allowsCluster(info, *m_context.image(), metadata::AclOperation::Describe)) {
        DescribeQuorumResponse refused;
        refused.errorCode = toWire(ErrorCode::ClusterAuthorizationFailed);
        return info.reply(refused);
    }
    if (!asksForMetadataLog(request))
        return info.reply(partitionErrors(request, ErrorCode::UnknownTopicOrPartition,
                                          std::string("DescribeQuorum describes only ") + kClusterMetadataTopic + " partition " +
                                              std::to_string(kClusterMetadataPartition) + ", the metadata log"));
    m_context.controller.describeQuorum(
        m_context.owner, [this, info = std::move(info), request](Result<metadata::QuorumDescription> d) mutable {
            if (d.isOk())
                return info.reply(quorumResponse(*d, *m_context.image()));
            // Unavailable: no leader, leadership moved, or it did not answer; the client retries.
            const ErrorCode error =
                d.status().code() == StatusCode::Unavailable ? ErrorCode::NotLeaderOrFollower : ErrorCode::UnknownServerError;
            info.reply(partitionErrors(request, error, d.status().message()));
        });
}

void ClusterInfoHandler::describeConfigs(RequestInfo info, const DescribeConfigsRequest &request)
{
    const auto image = m_context.image();
    DescribeConfigsResponse response;
    for (const auto &resource : request.resources) {
        DescribeConfigsResponse::ResourceResult result;
        result.resourceType = resource.resourceType;
        result.resourceName = resource.resourceName;
        if (const ErrorCode denial = m_context.authorizer.configDenial(info, *image, metadata::AclOperation::DescribeConfigs,
                                                                      resource.resourceType, resource.resourceName);
            denial != ErrorCode::None) {
            result.errorCode = toWire(denial);
            result.errorMessage = "Authorization failed.";
        } else if (resource.resourceType == DescribeConfigsRequest::kTopicResource) {
            const metadata::TopicInfo *topic = image->topic(resource.resourceName);
            if (!topic) {
                result.errorCode = toWire(ErrorCode::UnknownTopicOrPartition);
                result.errorMessage = "topic '" + resource.resourceName + "' does not exist";
            } else {
                for (const auto &c : m_context.topicConfigs.effective(topic->configs)) {
                    if (!wanted(resource.configurationKeys, c.name))
                        continue;
                    DescribeConfigsResponse::Config entry;
                    entry.name = c.name;
                    entry.value = c.value;
                    entry.readOnly = c.readOnly;
                    entry.isDefault = c.source == ConfigSource::DefaultConfig;
                    entry.configSource = int8_t(c.source);
                    entry.configType = topicConfigType(c.name);
                    if (request.includeSynonyms)
                        entry.synonyms.push_back({c.name, c.value, int8_t(c.source)});
                    result.configs.push_back(std::move(entry));
                }
            }
        } else if (resource.resourceType == DescribeConfigsRequest::kBrokerResource) {
            if (resource.resourceName != std::to_string(m_context.nodeId()) && !resource.resourceName.empty()) {
                result.errorCode = toWire(ErrorCode::InvalidRequest);
                result.errorMessage = "this is broker " + std::to_string(m_context.nodeId()) + "; ask broker "
                                      + resource.resourceName + " for its own configs";
            } else {
                // Broker configs are static (from the file and flags); report the effective ones.
                const auto &c = m_context.config;
                const std::vector<std::pair<std::string, std::string>> values = {
                    {"node.id", std::to_string(c.nodeId)},
                    {"auto.create.topics.enable", c.autoCreateTopics ? "true" : "false"},
                    {"num.partitions", std::to_string(c.numPartitions)},
                    {"default.replication.factor", std::to_string(c.defaultReplicationFactor)},
                    {"socket.request.max.bytes", std::to_string(c.socketRequestMaxBytes)},
                    {"message.max.bytes", std::to_string(c.messageMaxBytes)},
                    {"log.segment.bytes", std::to_string(c.logSegmentBytes)},
                    {"log.retention.ms", std::to_string(c.logRetentionMs)},
                    {"log.retention.bytes", std::to_string(c.logRetentionBytes)},
                    {"log.message.timestamp.type", c.logMessageTimestampType},
                };
                for (const auto &[name, value] : values) {
                    if (!wanted(resource.configurationKeys, name))
                        continue;
                    const core::ConfigKey *key = core::findConfigKey(name);
                    const bool isDefault = key && value == key->defaultValue;
                    DescribeConfigsResponse::Config entry;
                    entry.name = name;
                    entry.value = value;
                    entry.readOnly = true;
                    entry.isDefault = isDefault;
                    entry.configSource = int8_t(isDefault ? ConfigSource::DefaultConfig : ConfigSource::StaticBrokerConfig);
                    entry.configType = key && key->type == core::ConfigType::Bool ? kTypeBoolean
                                       : key && key->type == core::ConfigType::Int ? kTypeLong
                                                                                   : kTypeString;
                    // As for topics: the entry's own source is its one synonym (kafka-configs
                    // --all asks for them and prints them).
                    if (request.includeSynonyms)
                        entry.synonyms.push_back({name, value, entry.configSource});
                    result.configs.push_back(std::move(entry));
                }
            }
        } else {
            result.errorCode = toWire(ErrorCode::InvalidRequest);
            result.errorMessage = "resource type " + std::to_string(resource.resourceType)
                                  + " is not supported (topics: 2, brokers: 4)";
        }
        response.results.push_back(std::move(result));
    }
    info.reply(response);
}

} // namespace skiff::kafka
