#include "kafka/server/RequestAuthorizer.h"

#include "core/RateLimitedLog.h"
#include "kafka/protocol/ApiKeys.h"
#include "kafka/server/KafkaLog.h"
#include "kafka/server/KafkaMetrics.h"

#include <vector>

namespace skiff::kafka {

namespace {

auth::AuthorizerRules rulesOf(const core::NodeConfig &config)
{
    auth::AuthorizerRules rules;
    rules.superUsers.insert(config.superUsers.begin(), config.superUsers.end());
    rules.allowEveryoneIfNoAclFound = config.allowEveryoneIfNoAclFound;
    return rules;
}

} // namespace

RequestAuthorizer::RequestAuthorizer(const core::NodeConfig &config, KafkaMetrics *metrics, QObject *owner)
    : m_enabled(config.authorizerEnable), m_rules(rulesOf(config)), m_metrics(metrics),
      m_log(new core::RateLimitedLog(core::LogFlood::AuthorizationDenied, lcKafka, owner))
{
}

bool RequestAuthorizer::allows(const RequestInfo &info, const metadata::MetadataImage &image, metadata::AclOperation operation,
                               metadata::AclResourceType type, std::string_view name, Denial denial) const
{
    if (!m_enabled || auth::authorize(image.acls, m_rules, info.principal, operation, type, name))
        return true;
    denied(info, operation, type, name, denial);
    return false;
}

bool RequestAuthorizer::allowsAnyOfType(const RequestInfo &info, const metadata::MetadataImage &image,
                                        metadata::AclOperation operation, metadata::AclResourceType type) const
{
    if (!m_enabled || auth::authorizeAnyOfType(image.acls, m_rules, info.principal, operation, type))
        return true;
    denied(info, operation, type, "(any)", Denial::Logged);
    return false;
}

ErrorCode RequestAuthorizer::configDenial(const RequestInfo &info, const metadata::MetadataImage &image,
                                        metadata::AclOperation operation, int8_t configResourceType, std::string_view name) const
{
    constexpr int8_t kTopicConfigs = 2;   // Kafka's ConfigResource.Type TOPIC; BROKER 4, BROKER_LOGGER 8
    if (configResourceType == kTopicConfigs)
        return allowsTopic(info, image, operation, name) ? ErrorCode::None : ErrorCode::TopicAuthorizationFailed;
    return allowsCluster(info, image, operation) ? ErrorCode::None : ErrorCode::ClusterAuthorizationFailed;
}

int32_t RequestAuthorizer::authorizedOperations(const RequestInfo &info, const metadata::MetadataImage &image,
                                                metadata::AclResourceType type, std::string_view name) const
{
    using Op = metadata::AclOperation;
    // The operations Kafka lists for each resource type (AclEntry.supportedOperations).
    static const std::vector<Op> kTopic{Op::Read, Op::Write, Op::Create, Op::Describe, Op::Delete,
                                        Op::Alter, Op::DescribeConfigs, Op::AlterConfigs};
    static const std::vector<Op> kGroup{Op::Read, Op::Describe, Op::Delete};
    static const std::vector<Op> kCluster{Op::Create, Op::ClusterAction, Op::DescribeConfigs, Op::AlterConfigs,
                                          Op::IdempotentWrite, Op::Alter, Op::Describe};
    const std::vector<Op> &ops = type == metadata::AclResourceType::Topic   ? kTopic
                                 : type == metadata::AclResourceType::Group ? kGroup
                                                                            : kCluster;
    int32_t bits = 0;
    for (Op op : ops)
        if (!m_enabled || auth::authorize(image.acls, m_rules, info.principal, op, type, name))
            bits |= int32_t(1) << int(op);
    return bits;
}

void RequestAuthorizer::denied(const RequestInfo &info, metadata::AclOperation operation, metadata::AclResourceType type,
                               std::string_view name, Denial denial) const
{
    if (m_metrics && size_t(type) < m_metrics->authorizationDenials.size()
        && size_t(operation) < m_metrics->authorizationDenials[0].size())
        ++m_metrics->authorizationDenials[size_t(type)][size_t(operation)];
    if (denial == Denial::Quiet)
        return;
    const std::string api(apiKeyName(info.header.apiKey));
    m_log->info(info.principal.name + " " + api,
                "authorization denied: principal " + info.principal.name + " from " + info.principal.host + " may not "
                    + std::string(metadata::aclOperationName(operation)) + " " + std::string(metadata::aclResourceTypeName(type))
                    + " '" + std::string(name) + "' (" + api + "; add an ACL with skiffctl acls add or CreateAcls)");
}

} // namespace skiff::kafka
