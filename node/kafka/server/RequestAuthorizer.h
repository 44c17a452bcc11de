#pragma once
// The authorizer as the request handlers ask it (authorizer.enable): whether the request's
// principal may do an operation on a resource, by the ACLs of the image the request is served
// with (auth/Authorizer.h holds the rules). A denial is counted in /metrics and logged, one
// rate-limited line naming the principal, host, operation and resource, as Kafka's authorizer
// log does; checks that only filter what a request sees (Metadata of all topics) are quiet.
// Disabled, it allows everything. On the kafka thread.

#include "auth/Authorizer.h"
#include "core/NodeConfig.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/server/RequestInfo.h"
#include "metadata/MetadataImage.h"

#include <string_view>

class QObject;

namespace skiff::core {
class RateLimitedLog;
}

namespace skiff::kafka {

struct KafkaMetrics;

class RequestAuthorizer {
public:
    // `metrics` may be null (handler tests); `owner` parents the denial log.
    RequestAuthorizer(const core::NodeConfig &config, KafkaMetrics *metrics, QObject *owner);

    bool enabled() const { return m_enabled; }

    enum class Denial { Logged, Quiet };
    bool allows(const RequestInfo &info, const metadata::MetadataImage &image, metadata::AclOperation operation,
                metadata::AclResourceType type, std::string_view name, Denial denial = Denial::Logged) const;
    bool allowsTopic(const RequestInfo &info, const metadata::MetadataImage &image, metadata::AclOperation operation,
                     std::string_view topic, Denial denial = Denial::Logged) const
    {
        return allows(info, image, operation, metadata::AclResourceType::Topic, topic, denial);
    }
    bool allowsGroup(const RequestInfo &info, const metadata::MetadataImage &image, metadata::AclOperation operation,
                     std::string_view group, Denial denial = Denial::Logged) const
    {
        return allows(info, image, operation, metadata::AclResourceType::Group, group, denial);
    }
    bool allowsCluster(const RequestInfo &info, const metadata::MetadataImage &image, metadata::AclOperation operation,
                       Denial denial = Denial::Logged) const
    {
        return allows(info, image, operation, metadata::AclResourceType::Cluster, metadata::kClusterResourceName, denial);
    }
    // `operation` on some resource of `type` (auth::authorizeAnyOfType): an idempotent producer's
    // InitProducerId.
    bool allowsAnyOfType(const RequestInfo &info, const metadata::MetadataImage &image, metadata::AclOperation operation,
                         metadata::AclResourceType type) const;
    // DESCRIBE_CONFIGS or ALTER_CONFIGS on a config resource of DescribeConfigs and the Alter*
    // APIs: a topic's configs are the topic's (TOPIC_AUTHORIZATION_FAILED), a broker's and the
    // broker loggers' the cluster's (CLUSTER_AUTHORIZATION_FAILED). None when allowed.
    ErrorCode configDenial(const RequestInfo &info, const metadata::MetadataImage &image, metadata::AclOperation operation,
                           int8_t configResourceType, std::string_view name) const;

    // Kafka's authorized-operations bit field (bit n: operation code n) of the operations of
    // `type` the request's principal may do on `name`, for the include_*_authorized_operations
    // fields of Metadata, DescribeCluster and DescribeGroups. A probe: neither logged nor counted.
    // Without the authorizer every operation of the type, as Kafka answers.
    int32_t authorizedOperations(const RequestInfo &info, const metadata::MetadataImage &image, metadata::AclResourceType type,
                                 std::string_view name) const;

private:
    void denied(const RequestInfo &info, metadata::AclOperation operation, metadata::AclResourceType type,
                std::string_view name, Denial denial) const;

    const bool m_enabled;
    const auth::AuthorizerRules m_rules;
    KafkaMetrics *m_metrics;
    core::RateLimitedLog *m_log;   // child of the owner: on its thread, gone with it
};

} // namespace skiff::kafka
