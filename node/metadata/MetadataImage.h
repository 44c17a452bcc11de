#pragma once
// An immutable view of the cluster's metadata at one applied log index. The state machine builds
// a new image per applied batch and publishes it by pointer; readers on any thread keep the
// pointer they took for as long as they need it and never take a lock the applier holds.

#include "metadata/Acls.h"
#include "metadata/ClientQuotas.h"
#include "metadata/ScramCredentials.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::metadata {

using Uuid = std::array<uint8_t, 16>;

// A Uuid as the bytes field that commands, references and snapshots carry, and the check that
// such a field names this id (a wrong size never does).
inline std::string uuidBytes(const Uuid &id) { return std::string(reinterpret_cast<const char *>(id.data()), id.size()); }
inline bool sameUuid(const Uuid &id, std::string_view bytes)
{
    return bytes.size() == id.size() && std::equal(id.begin(), id.end(), reinterpret_cast<const uint8_t *>(bytes.data()));
}

// A Kafka listener of a broker, as clients that come in on a listener of that name reach it.
struct BrokerEndpoint {
    std::string listener;
    std::string host;
    uint16_t port = 0;
    std::string securityProtocol;
    friend bool operator==(const BrokerEndpoint &, const BrokerEndpoint &) = default;
};

struct BrokerInfo {
    uint64_t id = 0;
    std::string incarnationId;
    std::string kafkaHost;   // the inter-broker listener: what followers fetch from
    uint16_t kafkaPort = 0;
    // As registered; empty from a node older than named listeners (metadata/BrokerEndpoints.h
    // reads both).
    std::vector<BrokerEndpoint> endpoints;
    std::string rack;
    std::string adminAddress;
    std::string raftAddress;
    bool fenced = false;
    // The Raft index at which this incarnation's RegisterBroker was applied (Kafka's broker epoch:
    // it changes at every restart, so a request from a previous process can be told apart); -1
    // until registered.
    int64_t brokerEpoch = -1;
    // Reserved for controlled shutdown (KIP-841): a broker on its way out is no leader candidate
    // and may not join an ISR.
    bool inControlledShutdown = false;
};

// KIP-704: a leader elected uncleanly is Recovering until it says it has recovered; meanwhile
// its ISR holds only itself.
enum class LeaderRecovery : uint8_t { Recovered = 0, Recovering = 1 };

struct PartitionInfo {
    int32_t partition = 0;
    std::vector<uint64_t> replicas;
    std::vector<uint64_t> isr;
    uint64_t leader = 0;      // 0: no leader
    int32_t leaderEpoch = 0;      // +1 at every leader change
    int32_t partitionEpoch = 0;   // +1 at every change of leader, ISR or recovery state
    LeaderRecovery leaderRecovery = LeaderRecovery::Recovered;
    // Eligible leader replicas (KIP-966): reserved so that snapshots need no new format when they
    // come; stored and always empty for now.
    std::vector<uint64_t> elr;
    std::vector<uint64_t> lastKnownElr;
    // Replicas whose broker reported it cannot open or create the partition's log (ascending).
    std::vector<uint64_t> offlineReplicas;
};

struct TopicInfo {
    std::string name;
    Uuid id{};
    std::vector<PartitionInfo> partitions;    // index == partition id
    std::map<std::string, std::string> configs;   // only the topic's own overrides
};

struct MetadataImage {
    uint64_t appliedIndex = 0;
    uint64_t controllerId = 0;   // the node that currently leads the metadata log; 0: unknown
    std::map<uint64_t, BrokerInfo> brokers;
    std::map<std::string, std::shared_ptr<const TopicInfo>> topics;
    uint64_t nextProducerId = 1000;
    // SCRAM credentials (KIP-554), by user and mechanism: what SASL/SCRAM checks a client against.
    ScramCredentialMap scramCredentials;
    // Access control lists: what the authorizer (auth/Authorizer.h) checks a request against.
    AclSet acls;
    // Client quotas (KIP-546), by entity and key: what the Kafka side throttles clients to.
    ClientQuotaMap clientQuotas;

    const TopicInfo *topic(const std::string &name) const
    {
        auto it = topics.find(name);
        return it == topics.end() ? nullptr : it->second.get();
    }
    const BrokerInfo *broker(uint64_t id) const
    {
        auto it = brokers.find(id);
        return it == brokers.end() ? nullptr : &it->second;
    }
    // Partition `partition` of the topic named `topic` if the topic still has id `topicId` and
    // `broker` is one of the partition's replicas; null otherwise (deleted, recreated, reassigned).
    const PartitionInfo *replicaOn(const std::string &topic, const Uuid &topicId, int32_t partition, uint64_t broker) const
    {
        const TopicInfo *t = this->topic(topic);
        if (!t || t->id != topicId || partition < 0 || partition >= int32_t(t->partitions.size()))
            return nullptr;
        const PartitionInfo &p = t->partitions[size_t(partition)];
        return std::find(p.replicas.begin(), p.replicas.end(), broker) != p.replicas.end() ? &p : nullptr;
    }
};

using ImagePtr = std::shared_ptr<const MetadataImage>;

} // namespace skiff::metadata
