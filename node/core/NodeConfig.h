#pragma once
// The validated configuration of one skiffd process. Produced by ConfigLoader from the embedded
// defaults, then the TOML file, then the command-line flags (each overriding the previous).

#include "core/AdminAccess.h"
#include "core/HostPort.h"
#include "core/KafkaListeners.h"
#include "net/TlsFiles.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace skiff::core {

struct PeerSpec {
    uint64_t id = 0;
    HostPort raftAddress;
};

enum class FlushMode { Fsync, Interval };

// How followers log in to a SASL inter-broker listener.
struct InterBrokerSasl {
    std::string mechanism;   // sasl.mechanism.inter.broker.protocol
    std::string username;    // inter.broker.sasl.username
    std::string password;    // inter.broker.sasl.password: never logged
};

struct NodeConfig {
    std::string configFile;   // empty when running on the embedded defaults

    uint64_t nodeId = 1;
    std::string clusterId;
    std::string dataDir;
    // Kafka listeners, the inter-broker one (what followers fetch from) first; at least one.
    std::vector<KafkaListener> kafkaListeners;
    const KafkaListener &interBrokerListener() const { return kafkaListeners.front(); }
    net::TlsFiles tls;                  // for every listener whose protocol uses TLS, and raft.ssl
    // Listeners with listener.name.<listener>.ssl.* keys: their own files (the overrides over tls).
    std::map<std::string, net::TlsFiles> listenerTls;
    const net::TlsFiles &tlsFor(const std::string &listener) const
    {
        auto own = listenerTls.find(listener);
        return own == listenerTls.end() ? tls : own->second;
    }
    bool raftTls = false;               // raft.ssl.enable: peer links over mutual TLS
    std::vector<std::string> saslMechanisms;   // sasl.enabled.mechanisms, for every SASL listener
    std::optional<InterBrokerSasl> interBrokerSasl;   // set when the inter-broker listener uses SASL
    int64_t sslHandshakeTimeoutMs = 10000;
    bool authorizerEnable = false;             // authorizer.enable
    std::vector<std::string> superUsers;       // super.users, each "Type:name"
    bool allowEveryoneIfNoAclFound = false;    // allow.everyone.if.no.acl.found
    HostPort raftListen;
    HostPort adminListen;
    std::string clusterJoinToken;       // empty: no node may join by --join (add-node still admits)
    std::string adminToken;             // empty: mutating admin requests need no token
    AdminAccess adminAccess;            // admin.ssl.*, admin.mutation.auth
    int64_t adminConnectionsMaxIdleMs = 600000;
    HostPort httpListen;
    std::vector<PeerSpec> peers;
    HostPort join;                      // port 0: not joining
    int64_t raftTickMs = 50;
    int64_t raftElectionTimeoutMs = 500;
    int64_t brokerHeartbeatIntervalMs = 500;
    int64_t brokerSessionTimeoutMs = 3000;
    int64_t minInsyncReplicas = 1;       // default of the topic config
    int64_t replicaLagTimeMaxMs = 30000;
    int64_t replicaFetchWaitMaxMs = 500;
    int64_t replicaFetchMaxBytes = 1048576;
    bool autoLeaderRebalance = true;
    int64_t leaderImbalanceCheckIntervalSeconds = 300;
    int64_t leaderImbalancePerBrokerPercentage = 10;
    int64_t metadataSnapshotEntries = 10000;
    int64_t watchdogMissMs = 200;
    int64_t watchdogStallMs = 2000;
    bool lockWitness = true;

    bool autoCreateTopics = true;
    int32_t numPartitions = 1;
    int16_t defaultReplicationFactor = 1;
    int64_t maxPartitionsPerBroker = 10000;
    int64_t socketRequestMaxBytes = 0;
    int64_t queuedMaxRequestBytes = 209715200;
    int64_t socketRequestTimeoutMs = 30000;
    int64_t connectionsMaxIdleMs = 600000;
    int64_t connectionsMaxReauthMs = 0;   // KIP-368; 0: SASL sessions do not expire

    // Consumer groups.
    int32_t offsetsTopicNumPartitions = 12;
    int64_t offsetsTopicReplicationFactor = 0;   // 0: min(3, live brokers) when it is created
    int64_t offsetsRetentionMinutes = 10080;
    int64_t offsetsRetentionCheckIntervalMs = 600000;
    int32_t groupMinSessionTimeoutMs = 6000;
    int32_t groupMaxSessionTimeoutMs = 1800000;
    int32_t groupInitialRebalanceDelayMs = 3000;

    // Broker-wide topic defaults (a topic's own configs override them).
    int64_t messageMaxBytes = 0;
    int64_t logSegmentBytes = 0;
    int64_t logSegmentMs = 0;
    int64_t logRetentionMs = 0;
    int64_t logRetentionBytes = 0;
    int64_t logRetentionCheckIntervalMs = 0;
    std::string logMessageTimestampType;

    FlushMode flushMode = FlushMode::Fsync;
    int64_t flushIntervalMs = 0;
    int64_t logMaxOpenFiles = 0;        // 0: half of RLIMIT_NOFILE

    std::string loggingLevel;
    std::string loggingRules;
};

} // namespace skiff::core
