#include "metadata/MetadataImageCodec.h"

#include "metadata.pb.h"
#include "metadata/BrokerEndpoints.h"

#include <algorithm>
#include <limits>

namespace skiff::metadata {

namespace {

using std::to_string;

Status bad(const std::string &what) { return corruption("metadata image: " + what); }

} // namespace

std::string encodeImage(const MetadataImage &image)
{
    ImageSnapshot out;
    out.set_format_version(kImageFormatVersion);
    out.set_applied_index(image.appliedIndex);
    out.set_next_producer_id(image.nextProducerId);
    for (const auto &[id, b] : image.brokers) {
        ImageBroker *pb = out.add_brokers();
        pb->set_id(id);
        pb->set_incarnation_id(b.incarnationId);
        pb->set_kafka_host(b.kafkaHost);
        pb->set_kafka_port(b.kafkaPort);
        pb->set_rack(b.rack);
        pb->set_admin_address(b.adminAddress);
        pb->set_raft_address(b.raftAddress);
        pb->set_fenced(b.fenced);
        pb->set_broker_epoch(b.brokerEpoch);
        pb->set_in_controlled_shutdown(b.inControlledShutdown);
        for (const BrokerEndpoint &e : b.endpoints) {
            Endpoint *pe = pb->add_endpoints();
            pe->set_listener(e.listener);
            pe->set_host(e.host);
            pe->set_port(e.port);
            pe->set_security_protocol(e.securityProtocol);
        }
    }
    for (const auto &[name, topic] : image.topics) {
        ImageTopic *pt = out.add_topics();
        pt->set_name(name);
        if (!topic)
            continue;  // never in a published image; decodes as a topic without id, refused
        pt->set_topic_id(uuidBytes(topic->id));
        for (const PartitionInfo &p : topic->partitions) {
            ImagePartition *pp = pt->add_partitions();
            pp->set_partition(p.partition);
            for (uint64_t r : p.replicas)
                pp->add_replicas(r);
            for (uint64_t r : p.isr)
                pp->add_isr(r);
            pp->set_leader(p.leader);
            pp->set_leader_epoch(p.leaderEpoch);
            for (uint64_t r : p.offlineReplicas)
                pp->add_offline_replicas(r);
            pp->set_partition_epoch(p.partitionEpoch);
            pp->set_leader_recovery(uint32_t(p.leaderRecovery));
            for (uint64_t r : p.elr)
                pp->add_elr(r);
            for (uint64_t r : p.lastKnownElr)
                pp->add_last_known_elr(r);
        }
        for (const auto &[key, value] : topic->configs) {
            ImageConfig *pc = pt->add_configs();
            pc->set_key(key);
            pc->set_value(value);
        }
    }
    for (const auto &[user, credentials] : image.scramCredentials)
        for (const auto &[mechanism, credential] : credentials) {
            ScramCredentialEntry *pc = out.add_scram_credentials();
            pc->set_user(user);
            pc->set_mechanism(int32_t(mechanism));
            pc->set_iterations(credential.iterations);
            pc->set_salt(credential.salt);
            pc->set_stored_key(credential.storedKey);
            pc->set_server_key(credential.serverKey);
        }
    for (const AclBinding &acl : image.acls)
        aclToEntry(acl, out.add_acls());
    for (const auto &[entity, values] : image.clientQuotas)
        for (const auto &[key, value] : values) {
            ClientQuotaEntry *pq = out.add_client_quotas();
            quotaEntityToProto(entity, *pq->mutable_entity());
            pq->set_key(key);
            pq->set_value(value);
        }
    return out.SerializeAsString();
}

Result<MetadataImage> decodeImage(std::string_view bytes)
{
    ImageSnapshot in;
    if (bytes.size() > size_t(std::numeric_limits<int>::max()) || !in.ParseFromArray(bytes.data(), int(bytes.size())))
        return bad(to_string(bytes.size()) + " bytes are not an ImageSnapshot encoding");
    if (in.format_version() != kImageFormatVersion)
        return bad("format version " + to_string(in.format_version()) + " is not supported (expected " +
                   to_string(kImageFormatVersion) + ")");

    MetadataImage image;
    image.appliedIndex = in.applied_index();
    image.nextProducerId = in.next_producer_id();
    for (const ImageBroker &pb : in.brokers()) {
        if (pb.kafka_port() > std::numeric_limits<uint16_t>::max())
            return bad("broker " + to_string(pb.id()) + " has kafka port " + to_string(pb.kafka_port()) +
                       " above 65535");
        BrokerInfo b;
        b.id = pb.id();
        b.incarnationId = pb.incarnation_id();
        b.kafkaHost = pb.kafka_host();
        b.kafkaPort = uint16_t(pb.kafka_port());
        b.rack = pb.rack();
        b.adminAddress = pb.admin_address();
        b.raftAddress = pb.raft_address();
        b.fenced = pb.fenced();
        b.brokerEpoch = pb.broker_epoch();
        b.inControlledShutdown = pb.in_controlled_shutdown();
        auto endpoints = endpointsFromProto(pb.endpoints());
        if (!endpoints.isOk())
            return bad("broker " + to_string(pb.id()) + ": " + endpoints.status().message());
        b.endpoints = std::move(endpoints.value());
        if (!image.brokers.emplace(b.id, std::move(b)).second)
            return bad("broker " + to_string(pb.id()) + " appears twice");
    }
    for (const ImageTopic &pt : in.topics()) {
        auto topic = std::make_shared<TopicInfo>();
        topic->name = pt.name();
        if (pt.topic_id().size() != topic->id.size())
            return bad("topic '" + pt.name() + "' has a " + to_string(pt.topic_id().size()) +
                       "-byte id (expected 16)");
        std::copy(pt.topic_id().begin(), pt.topic_id().end(), reinterpret_cast<char *>(topic->id.data()));
        for (const ImagePartition &pp : pt.partitions()) {
            if (pp.partition() != int32_t(topic->partitions.size()))
                return bad("topic '" + pt.name() + "' has partition " + to_string(pp.partition()) + " at position " +
                           to_string(topic->partitions.size()));
            PartitionInfo p;
            p.partition = pp.partition();
            p.replicas.assign(pp.replicas().begin(), pp.replicas().end());
            p.isr.assign(pp.isr().begin(), pp.isr().end());
            p.leader = pp.leader();
            p.leaderEpoch = pp.leader_epoch();
            p.offlineReplicas.assign(pp.offline_replicas().begin(), pp.offline_replicas().end());
            p.partitionEpoch = pp.partition_epoch();
            if (pp.leader_recovery() > uint32_t(LeaderRecovery::Recovering))
                return bad("topic '" + pt.name() + "' partition " + to_string(pp.partition()) + " has leader recovery state "
                           + to_string(pp.leader_recovery()) + " (expected 0 recovered or 1 recovering)");
            p.leaderRecovery = LeaderRecovery(pp.leader_recovery());
            p.elr.assign(pp.elr().begin(), pp.elr().end());
            p.lastKnownElr.assign(pp.last_known_elr().begin(), pp.last_known_elr().end());
            topic->partitions.push_back(std::move(p));
        }
        for (const ImageConfig &pc : pt.configs())
            if (!topic->configs.emplace(pc.key(), pc.value()).second)
                return bad("topic '" + pt.name() + "' has config '" + pc.key() + "' twice");
        if (!image.topics.emplace(pt.name(), std::move(topic)).second)
            return bad("topic '" + pt.name() + "' appears twice");
    }
    for (const ScramCredentialEntry &pc : in.scram_credentials()) {
        if (ScramDecision d = checkScramUpsertion(pc.user(), pc.mechanism(), pc.iterations(), pc.salt(), pc.stored_key(), pc.server_key());
            !d.ok())
            return bad("SCRAM credential: " + d.message);
        auto &credentials = image.scramCredentials[pc.user()];
        const ScramMechanism mechanism = *scramMechanismFromCode(int8_t(pc.mechanism()));
        if (!credentials.emplace(mechanism, ScramCredential{pc.iterations(), pc.salt(), pc.stored_key(), pc.server_key()}).second)
            return bad("user '" + pc.user() + "' has two " + std::string(scramMechanismName(mechanism)) + " credentials");
    }
    for (const AclEntry &entry : in.acls()) {
        const AclBinding acl = aclFromEntry(entry);
        if (std::string why = checkNewAcl(acl); !why.empty())
            return bad("ACL " + describeAcl(acl) + ": " + why);
        if (!image.acls.insert(acl).second)
            return bad("ACL " + describeAcl(acl) + " appears twice");
    }
    for (const ClientQuotaEntry &pq : in.client_quotas()) {
        const QuotaEntity entity = quotaEntityFromProto(pq.entity());
        if (entity.empty())
            return bad("client quota " + pq.key() + " of an empty entity");
        if (ClientQuotaDecision d = checkQuotaValue(pq.key(), pq.value()); !d.ok())
            return bad("client quota of " + quotaEntityPath(entity) + ": " + d.message);
        if (!image.clientQuotas[entity].emplace(pq.key(), pq.value()).second)
            return bad("client quota entity " + quotaEntityPath(entity) + " has two " + pq.key() + " values");
    }
    return image;
}

} // namespace skiff::metadata
