#include "kafka/server/KafkaApis.h"

#include "kafka/protocol/ApiKeys.h"
#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/Requests.h"
#include "kafka/server/AclHandler.h"
#include "kafka/server/ClientQuotaEnforcer.h"
#include "kafka/server/ClusterInfoHandler.h"
#include "kafka/server/ConfigAlterHandler.h"
#include "kafka/server/DeleteRecordsHandler.h"
#include "kafka/server/ElectLeadersHandler.h"
#include "kafka/server/FetchHandler.h"
#include "kafka/server/GroupCoordinator.h"
#include "kafka/server/GroupHandler.h"
#include "kafka/server/KafkaMetrics.h"
#include "kafka/server/LeaderBalancer.h"
#include "kafka/server/ListOffsetsHandler.h"
#include "kafka/server/LogDirsHandler.h"
#include "kafka/server/MetadataHandler.h"
#include "kafka/server/PartitionManager.h"
#include "kafka/server/ProduceHandler.h"
#include "kafka/server/ProducerIdHandler.h"
#include "kafka/server/SecurityHandler.h"
#include "kafka/server/TopicAdminHandler.h"

namespace skiff::kafka {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

KafkaApis::KafkaApis(const core::NodeConfig &config, metadata::MetadataController *controller,
                     PartitionManager &partitions, KafkaMetrics *metrics, QObject *parent)
    : QObject(parent), m_authorizer(config, metrics, this),
      m_quotas(std::make_unique<ClientQuotaEnforcer>([controller]() { return controller->image(); },
                                                     metrics ? &metrics->quotaThrottles : nullptr)),
      m_context{config, *controller, partitions, partitions.topicConfigs(), this, m_authorizer, m_quotas.get()}
{
    m_topicAdmin = std::make_unique<TopicAdminHandler>(m_context);
    m_metadata = std::make_unique<MetadataHandler>(m_context, *m_topicAdmin);
    m_clusterInfo = std::make_unique<ClusterInfoHandler>(m_context);
    m_configAlter = std::make_unique<ConfigAlterHandler>(m_context, *m_topicAdmin);
    m_producerIds = std::make_unique<ProducerIdHandler>(m_context);
    m_produce = std::make_unique<ProduceHandler>(m_context);
    m_fetch = std::make_unique<FetchHandler>(m_context);
    m_listOffsets = std::make_unique<ListOffsetsHandler>(m_context);
    m_logDirs = std::make_unique<LogDirsHandler>(m_context);
    m_groupCoordinator = std::make_unique<GroupCoordinator>(m_context, *m_topicAdmin);
    m_groups = std::make_unique<GroupHandler>(m_context, *m_groupCoordinator);
    m_electLeaders = std::make_unique<ElectLeadersHandler>(m_context);
    m_leaderBalancer = std::make_unique<LeaderBalancer>(m_context);
    m_deleteRecords = std::make_unique<DeleteRecordsHandler>(m_context);
    m_security = std::make_unique<SecurityHandler>(m_context);
    m_acls = std::make_unique<AclHandler>(m_context);
}

KafkaApis::~KafkaApis() = default;

void KafkaApis::shutdown()
{
    m_context.partitions.delayedFetches().completeAll();
    m_groupCoordinator->shutdown();
}

Status KafkaApis::dispatch(std::string_view frame, const ClientSession &session, Responder responder)
{
    auto decoded = decodeRequest(frame);
    if (!decoded.isOk())
        return decoded.status();
    // Request quota (request_percentage): the time this thread spends on the request, measured
    // around its handler (what it does later, on completion of a wait, is not counted).
    const auto handlingStarted = std::chrono::steady_clock::now();
    Responder throttleHandle = responder;
    RequestInfo info{decoded->header, std::move(responder), session.listener, session.principal, frame.size()};
    const RequestHeader &h = decoded->header;
    const ApiInfo *api = findApi(h.apiKey);
    if (!decoded->isSupported() || !api || !api->advertised) {
        if (h.apiKey == int16_t(ApiKey::ApiVersions)) {
            std::string out;
            encodeUnsupportedApiVersionsFrame(out, h.correlationId);
            info.responder.respond(std::move(out));
            return Status::ok();
        }
        return invalidArgument(std::string(apiKeyName(h.apiKey)) + " (api key " + std::to_string(h.apiKey) +
                               ") version " + std::to_string(h.apiVersion) +
                               " is not supported (ApiVersions lists what this node serves)");
    }
    // Read-your-writes: a request that arrives after this node applied an image (a Produce
    // right after the CreateTopics it was answered, or after a Metadata that already lists the
    // topic) must find that image's logs. PartitionManager follows every publication by itself,
    // but the publication reaches this thread as a queued call, which the request may overtake
    // (the image is readable the moment it is stored; the admin socket answers on its own
    // thread). Costs an atomic load when the logs already follow the latest image.
    m_context.partitions.followLatestImage();
    std::visit(Overloaded{
                   [&](auto &) {},   // not advertised: refused above
                   [&](ProduceRequest &r) { m_produce->handle(std::move(info), std::move(r)); },
                   [&](FetchRequest &r) { m_fetch->handle(std::move(info), std::move(r)); },
                   [&](ListOffsetsRequest &r) { m_listOffsets->handle(std::move(info), r); },
                   [&](OffsetForLeaderEpochRequest &r) { m_listOffsets->offsetForLeaderEpoch(std::move(info), r); },
                   [&](MetadataRequest &r) { m_metadata->handle(std::move(info), std::move(r)); },
                   [&](ApiVersionsRequest &r) { m_clusterInfo->apiVersions(std::move(info), r); },
                   [&](CreateTopicsRequest &r) { m_topicAdmin->createTopics(std::move(info), std::move(r)); },
                   [&](DeleteTopicsRequest &r) { m_topicAdmin->deleteTopics(std::move(info), std::move(r)); },
                   [&](InitProducerIdRequest &r) { m_producerIds->handle(std::move(info), r); },
                   [&](DescribeConfigsRequest &r) { m_clusterInfo->describeConfigs(std::move(info), r); },
                   [&](CreatePartitionsRequest &r) { m_topicAdmin->createPartitions(std::move(info), std::move(r)); },
                   [&](DescribeClusterRequest &r) { m_clusterInfo->describeCluster(std::move(info), r); },
                   [&](DescribeQuorumRequest &r) { m_clusterInfo->describeQuorum(std::move(info), r); },
                   [&](AlterConfigsRequest &r) { m_configAlter->alterConfigs(std::move(info), r); },
                   [&](IncrementalAlterConfigsRequest &r) { m_configAlter->incrementalAlterConfigs(std::move(info), r); },
                   [&](FindCoordinatorRequest &r) { m_groups->findCoordinator(std::move(info), std::move(r)); },
                   [&](JoinGroupRequest &r) { m_groups->joinGroup(std::move(info), std::move(r)); },
                   [&](SyncGroupRequest &r) { m_groups->syncGroup(std::move(info), std::move(r)); },
                   [&](HeartbeatRequest &r) { m_groups->heartbeat(std::move(info), r); },
                   [&](LeaveGroupRequest &r) { m_groups->leaveGroup(std::move(info), r); },
                   [&](OffsetCommitRequest &r) { m_groups->offsetCommit(std::move(info), r); },
                   [&](OffsetFetchRequest &r) { m_groups->offsetFetch(std::move(info), r); },
                   [&](DescribeGroupsRequest &r) { m_groups->describeGroups(std::move(info), r); },
                   [&](ListGroupsRequest &r) { m_groups->listGroups(std::move(info), r); },
                   [&](DeleteGroupsRequest &r) { m_groups->deleteGroups(std::move(info), r); },
                   [&](OffsetDeleteRequest &r) { m_groups->offsetDelete(std::move(info), r); },
                   [&](ElectLeadersRequest &r) { m_electLeaders->handle(std::move(info), r); },
                   [&](DescribeLogDirsRequest &r) { m_logDirs->describeLogDirs(std::move(info), r); },
                   [&](DescribeProducersRequest &r) { m_logDirs->describeProducers(std::move(info), r); },
                   [&](DeleteRecordsRequest &r) { m_deleteRecords->handle(std::move(info), r); },
                   [&](DescribeAclsRequest &r) { m_acls->describeAcls(std::move(info), r); },
                   [&](CreateAclsRequest &r) { m_acls->createAcls(std::move(info), r); },
                   [&](DeleteAclsRequest &r) { m_acls->deleteAcls(std::move(info), r); },
                   [&](DescribeClientQuotasRequest &r) { m_security->describeClientQuotas(std::move(info), r); },
                   [&](AlterClientQuotasRequest &r) { m_security->alterClientQuotas(std::move(info), r); },
                   [&](DescribeUserScramCredentialsRequest &r) { m_security->describeUserScramCredentials(std::move(info), r); },
                   [&](AlterUserScramCredentialsRequest &r) { m_security->alterUserScramCredentials(std::move(info), r); },
                   // Here only on a listener without SASL, or after the connection authenticated
                   // (SaslAuthenticator answers them before): Kafka's answers.
                   [&](SaslHandshakeRequest &) {
                       SaslHandshakeResponse response;
                       response.errorCode = toWire(ErrorCode::IllegalSaslState);
                       info.reply(response);
                   },
                   [&](SaslAuthenticateRequest &) {
                       SaslAuthenticateResponse response;
                       response.errorCode = toWire(ErrorCode::IllegalSaslState);
                       response.errorMessage = "SaslAuthenticate request received after successful authentication, "
                                               "or on a listener without SASL";
                       info.reply(response);
                   },
               },
               decoded->body);
    const auto *fetch = std::get_if<FetchRequest>(&decoded->body);
    if (!(fetch && fetch->replicaId >= 0)) {   // a follower's fetch is replication, not a client's (Kafka exempts it)
        const int64_t nanos =
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - handlingStarted).count();
        const int64_t throttle = m_quotas->record(QuotaType::Request, quotaUser(session.principal), h.clientId.value_or(std::string()),
                                                  ClientQuotaEnforcer::requestPercent(nanos), ClientQuotaEnforcer::nowMs());
        throttleHandle.throttle(throttle);
    }
    return Status::ok();
}

} // namespace skiff::kafka
