#pragma once
// Routes each decoded request to its handler. Undecodable frames and unsupported APIs or versions
// are refused (the connection closes it and logs why); an unsupported ApiVersions version is
// answered as Kafka does.

#include "kafka/server/BrokerContext.h"
#include "kafka/server/RequestAuthorizer.h"
#include "kafka/server/RequestDispatcher.h"

#include <QObject>

#include <memory>

namespace skiff::kafka {

class AclHandler;
class ClientQuotaEnforcer;
class ClusterInfoHandler;
class ConfigAlterHandler;
class DeleteRecordsHandler;
class FetchHandler;
class GroupCoordinator;
class ElectLeadersHandler;
class GroupHandler;
class LeaderBalancer;
class ListOffsetsHandler;
class LogDirsHandler;
class MetadataHandler;
class ProduceHandler;
class ProducerIdHandler;
class SecurityHandler;
class TopicAdminHandler;

class KafkaApis : public QObject, public RequestDispatcher {
    Q_OBJECT
public:
    KafkaApis(const core::NodeConfig &config, metadata::MetadataController *controller, PartitionManager &partitions,
              KafkaMetrics *metrics, QObject *parent);
    ~KafkaApis() override;

    Status dispatch(std::string_view frame, const ClientSession &session, Responder responder) override;
    void shutdown();

private:
    RequestAuthorizer m_authorizer;
    std::unique_ptr<ClientQuotaEnforcer> m_quotas;   // before m_context, which points to it
    BrokerContext m_context;
    std::unique_ptr<TopicAdminHandler> m_topicAdmin;
    std::unique_ptr<MetadataHandler> m_metadata;
    std::unique_ptr<ClusterInfoHandler> m_clusterInfo;
    std::unique_ptr<ConfigAlterHandler> m_configAlter;
    std::unique_ptr<ProducerIdHandler> m_producerIds;
    std::unique_ptr<ProduceHandler> m_produce;
    std::unique_ptr<FetchHandler> m_fetch;
    std::unique_ptr<ListOffsetsHandler> m_listOffsets;
    std::unique_ptr<LogDirsHandler> m_logDirs;
    std::unique_ptr<GroupCoordinator> m_groupCoordinator;
    std::unique_ptr<GroupHandler> m_groups;
    std::unique_ptr<ElectLeadersHandler> m_electLeaders;
    std::unique_ptr<LeaderBalancer> m_leaderBalancer;
    std::unique_ptr<DeleteRecordsHandler> m_deleteRecords;
    std::unique_ptr<SecurityHandler> m_security;
    std::unique_ptr<AclHandler> m_acls;
};

} // namespace skiff::kafka
