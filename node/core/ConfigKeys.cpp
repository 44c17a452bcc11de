#include "core/ConfigKeys.h"

#include <algorithm>
#include <cctype>

namespace skiff::core {

const std::vector<ConfigKey> &configKeys()
{
    static const std::vector<ConfigKey> keys = {
        {"node.id", ConfigType::Int, "1", "this node's id, unique in the cluster (1 or more)"},
        {"cluster.id", ConfigType::String, "skiff-local", "cluster id; every node and peer of a cluster must agree"},
        {"data.dir", ConfigType::String, "./skiff-data", "directory for partition logs and metadata (created if missing)"},
        {"kafka.listen", ConfigType::Address, "127.0.0.1:9092", "address the Kafka listener binds"},
        {"kafka.advertise", ConfigType::Address, "", "address given to clients in Metadata (default: kafka.listen)"},
        {"listeners", ConfigType::String, "", "named Kafka listeners, NAME://host:port comma-separated (e.g. CLIENT://0.0.0.0:9092,INTERNAL://10.0.0.1:9192); replaces kafka.listen, which is a shorthand for PLAINTEXT://<kafka.listen>"},
        {"advertised.listeners", ConfigType::String, "", "NAME://host:port given in Metadata to clients that came in on listener NAME (default: the listener's own address)"},
        {"listener.security.protocol.map", ConfigType::String, "", "NAME:PROTOCOL for each listener whose name is not its protocol (PLAINTEXT or SSL), e.g. CLIENT:SSL,INTERNAL:PLAINTEXT"},
        {"inter.broker.listener.name", ConfigType::String, "", "the listener followers fetch from (default: the first of listeners); when SSL, followers present this node's certificate and check the leader's against ssl.ca.location"},
        {"ssl.certificate.location", ConfigType::String, "", "PEM file with this node's certificate and its chain, for SSL listeners; reloaded on change and on SIGHUP"},
        {"ssl.key.location", ConfigType::String, "", "PEM file with the certificate's private key (RSA or EC); reloaded with the certificate"},
        {"ssl.key.password", ConfigType::String, "", "password of an encrypted ssl.key.location"},
        {"ssl.ca.location", ConfigType::String, "", "PEM CA bundle that client certificates must chain to (needed when ssl.client.auth is not none)"},
        {"ssl.client.auth", ConfigType::String, "none", "client certificates on SSL listeners: none, requested (checked when sent) or required (SASL_SSL listeners ask for none: SASL says who the client is, as Kafka since KIP-684)"},
        {"ssl.enabled.protocols", ConfigType::String, "TLSv1.2,TLSv1.3", "TLS versions SSL listeners accept: TLSv1.2,TLSv1.3 or TLSv1.3"},
        {"ssl.cipher.suites", ConfigType::String, "", "OpenSSL cipher list for TLS 1.2 connections (empty: Qt's defaults)"},
        {"sasl.enabled.mechanisms", ConfigType::String, "SCRAM-SHA-256,SCRAM-SHA-512", "SASL mechanisms that SASL_PLAINTEXT and SASL_SSL listeners offer: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (PLAIN sends the password itself: offer it over SASL_SSL only)"},
        {"sasl.mechanism.inter.broker.protocol", ConfigType::String, "SCRAM-SHA-512", "SASL mechanism followers log in with on a SASL_PLAINTEXT or SASL_SSL inter-broker listener: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (one of sasl.enabled.mechanisms)"},
        {"inter.broker.sasl.username", ConfigType::String, "", "the SCRAM user followers log in as on a SASL inter-broker listener (skiffctl users set makes it; with authorizer.enable it needs CLUSTER_ACTION on the cluster or a place in super.users)"},
        {"inter.broker.sasl.password", ConfigType::String, "", "the password of inter.broker.sasl.username (never logged; prefer the TOML file: a flag shows in ps)"},
        {"sasl.jaas.config", ConfigType::String, "", "Kafka's JAAS login for followers on a SASL inter-broker listener, instead of inter.broker.sasl.username and password: org.apache.kafka.common.security.scram.ScramLoginModule required username=\"broker\" password=\"...\"; (PlainLoginModule for PLAIN); per listener and mechanism listener.name.<listener>.<mechanism>.sasl.jaas.config wins. Users are made with skiffctl users set, not user_<name> options (never logged)"},
        {"authorizer.enable", ConfigType::Bool, "false", "check every Kafka request against the cluster's ACLs (CreateAcls, skiffctl acls) as Kafka's StandardAuthorizer does; off, every client may do everything and the ACL APIs answer SECURITY_DISABLED"},
        {"super.users", ConfigType::String, "", "principals the authorizer allows everything, semicolon-separated (User:admin;User:CN=skiff-node1): name the brokers' inter-broker principals here, or followers cannot fetch"},
        {"allow.everyone.if.no.acl.found", ConfigType::Bool, "false", "with authorizer.enable: a resource no ACL names is open to everyone (default: only to super.users)"},
        {"ssl.handshake.timeout.ms", ConfigType::Int, "10000", "a connection to an SSL listener whose TLS handshake is not done this long after it was accepted is closed"},
        {"raft.listen", ConfigType::Address, "127.0.0.1:9093", "address for Raft peer links"},
        {"raft.ssl.enable", ConfigType::Bool, "false", "peer links over mutual TLS with the ssl.* files: each side presents its certificate, which must chain to ssl.ca.location and name the host of its raft address; set it on every node"},
        {"admin.listen", ConfigType::Address, "127.0.0.1:9094", "address of the admin socket (skiffctl, dashboard)"},
        {"admin.token", ConfigType::String, "", "when set, mutating admin requests (transfer-leader, add/remove-node, create/delete-topic, elect-leaders, users, acls) must carry this token (unless admin.mutation.auth says otherwise); reads stay open"},
        {"admin.ssl.enable", ConfigType::Bool, "false", "the admin socket speaks only TLS, with the node's ssl.certificate.location and ssl.key.location (reloaded with them); skiffctl --tls --ca, the dashboard profile's CA"},
        {"admin.ssl.client.auth", ConfigType::String, "none", "with admin.ssl.enable: client certificates on the admin socket: none, requested (checked against ssl.ca.location when sent) or required (a connection without one is told so and closed before any request of it is read)"},
        {"admin.mutation.auth", ConfigType::String, "", "what a mutating admin request must carry: token (admin.token), certificate (a client certificate that chains to ssl.ca.location; needs admin.ssl.enable and admin.ssl.client.auth), token-or-certificate or token-and-certificate; unset: token when admin.token is set, nothing otherwise"},
        {"admin.ssl.principals", ConfigType::String, "", "with a certificate in admin.mutation.auth: only certificates of these subjects count, RFC 2253 as openssl x509 -noout -subject -nameopt RFC2253 prints them, semicolon-separated (CN=admin;CN=ops,O=Example); unset: any certificate that chains to ssl.ca.location"},
        {"admin.connections.max.idle.ms", ConfigType::Int, "600000", "an admin socket connection with nothing received, sent or in flight for this long is closed"},
        {"http.listen", ConfigType::Address, "127.0.0.1:9095", "address of /metrics, /health and /ready (read-only, plain HTTP, apart from the admin socket)"},
        {"peers", ConfigType::Peers, "", "initial voters as id@host:port (raft addresses); TOML: [[peers]] id, address"},
        {"join", ConfigType::Address, "", "raft address of any member of an existing cluster: join it as a learner, be promoted once caught up (start with no peers)"},
        {"cluster.join.token", ConfigType::String, "", "secret a node started with --join must present to be added; members refuse joiners when unset (skiffctl add-node still admits a node). Give every member and the joiner the same value, in the TOML file"},
        {"raft.tick.ms", ConfigType::Int, "50", "Raft clock period; the leader heartbeats every tick"},
        {"raft.election.timeout.ms", ConfigType::Int, "500", "a follower that hears no leader for this long (randomized up to twice it) starts an election"},
        {"broker.heartbeat.interval.ms", ConfigType::Int, "500", "how often each broker heartbeats the controller (the Raft leader)"},
        {"broker.session.timeout.ms", ConfigType::Int, "3000", "a broker silent this long is fenced: left out of Metadata until it heartbeats again"},
        {"replica.lag.time.max.ms", ConfigType::Int, "30000", "a follower that has not caught up with its leader for this long leaves the ISR; it returns once caught up"},
        {"replica.fetch.wait.max.ms", ConfigType::Int, "500", "longest a follower's Fetch waits at its leader for new data"},
        {"auto.leader.rebalance.enable", ConfigType::Bool, "true", "the controller moves leaderships back to their preferred replica (the first listed) when a broker's share of partitions led by another replica exceeds leader.imbalance.per.broker.percentage"},
        {"leader.imbalance.check.interval.seconds", ConfigType::Int, "300", "how often the controller checks the leader imbalance"},
        {"leader.imbalance.per.broker.percentage", ConfigType::Int, "10", "a broker's share (in percent) of the partitions it prefers but does not lead above which the controller elects their preferred leaders"},
        {"replica.fetch.max.bytes", ConfigType::Int, "1048576", "bytes a follower asks for per partition in one Fetch (at least one batch is always sent)"},
        {"metadata.snapshot.entries", ConfigType::Int, "10000", "snapshot the metadata state machine and compact its log every this many entries"},
        {"watchdog.miss.ms", ConfigType::Int, "200", "an event loop silent this long counts a watchdog miss"},
        {"watchdog.stall.ms", ConfigType::Int, "2000", "an event loop silent this long is reported stalled: thread, duration, the lock it waits on and its holder"},
        {"lock.witness.enable", ConfigType::Bool, "true", "learn the order of tracked locks and report the first inversion (its cost: README, Benchmarks)"},
        {"auto.create.topics.enable", ConfigType::Bool, "true", "create a topic when a client asks Metadata or produces to an unknown one"},
        {"num.partitions", ConfigType::Int, "1", "partitions of an auto-created topic, and of CreateTopics asking for -1"},
        {"default.replication.factor", ConfigType::Int, "1", "replication factor of auto-created topics and of CreateTopics asking for -1"},
        {"max.partitions.per.broker", ConfigType::Int, "10000", "partition replicas one broker may host; creating topics or partitions that would put more on any broker is refused (POLICY_VIOLATION, naming the broker and the counts)"},
        {"offsets.topic.num.partitions", ConfigType::Int, "12", "partitions of __consumer_offsets (fixed once the topic exists); a group's coordinator leads partition hash(group) % this"},
        {"offsets.topic.replication.factor", ConfigType::Int, "0", "replicas of each __consumer_offsets partition (fixed once the topic exists); 0: as many live brokers as there are when it is created, up to 3"},
        {"offsets.retention.minutes", ConfigType::Int, "10080", "committed offsets of a group without members are deleted this long after their commit"},
        {"offsets.retention.check.interval.ms", ConfigType::Int, "600000", "how often expired committed offsets are deleted"},
        {"group.min.session.timeout.ms", ConfigType::Int, "6000", "smallest session.timeout.ms a consumer group member may ask for"},
        {"group.max.session.timeout.ms", ConfigType::Int, "1800000", "largest session.timeout.ms a consumer group member may ask for"},
        {"group.initial.rebalance.delay.ms", ConfigType::Int, "3000", "an empty group waits this long for more members before its first rebalance completes"},
        {"socket.request.max.bytes", ConfigType::Int, "104857600", "largest Kafka request frame accepted; larger ones are refused before allocation"},
        {"queued.max.request.bytes", ConfigType::Int, "209715200", "bytes of Kafka requests being read, all connections together; past it the node stops reading request bodies until requests in progress are whole (requests of 64 KiB or less, and the oldest one in progress, still go on)"},
        {"socket.request.timeout.ms", ConfigType::Int, "30000", "a Kafka or admin request frame must be whole this long after its first byte, or its connection is closed"},
        {"connections.max.reauth.ms", ConfigType::Int, "0", "SASL connections: a client that authenticated with SaslAuthenticate v1 or later is told this session lifetime and must re-authenticate on the same connection within it (KIP-368), or is closed at its next request; 0: sessions do not expire"},
        {"connections.max.idle.ms", ConfigType::Int, "600000", "a Kafka connection with nothing received, sent or in flight for this long is closed"},
        {"message.max.bytes", ConfigType::Int, "1048588", "default max.message.bytes of topics (largest record batch)"},
        {"log.segment.bytes", ConfigType::Int, "1073741824", "default segment.bytes: roll a segment at this size"},
        {"log.segment.ms", ConfigType::Int, "604800000", "default segment.ms: roll a segment this long after its first batch"},
        {"min.insync.replicas", ConfigType::Int, "1", "default min.insync.replicas of topics: an acks=all produce needs this many in-sync replicas (NOT_ENOUGH_REPLICAS otherwise), and the high watermark stays while fewer are in sync"},
        {"log.retention.ms", ConfigType::Int, "604800000", "default retention.ms (-1: keep forever)"},
        {"log.retention.bytes", ConfigType::Int, "-1", "default retention.bytes per partition (-1: unlimited)"},
        {"log.retention.check.interval.ms", ConfigType::Int, "300000", "how often retention deletes old segments"},
        {"log.message.timestamp.type", ConfigType::String, "CreateTime", "default message.timestamp.type: CreateTime or LogAppendTime"},
        {"log.flush.mode", ConfigType::String, "fsync", "fsync: acknowledge produce after fdatasync (group commit); interval: acknowledge after write, fdatasync every log.flush.interval.ms"},
        {"log.flush.interval.ms", ConfigType::Int, "1000", "fdatasync period in interval mode"},
        {"log.max.open.files", ConfigType::Int, "0", "segment files (.log, .index, .timeindex) partition logs keep open, least recently used closed first and reopened on demand; 0: half of the open-file limit (RLIMIT_NOFILE, raised to its hard limit at start)"},
        {"logging.level", ConfigType::String, "info", "debug, info, warning or critical"},
        {"logging.rules", ConfigType::String, "", "extra Qt logging filter rules, e.g. skiff.kafka.debug=true;skiff.log.debug=false"},
    };
    return keys;
}

const ConfigKey *findConfigKey(const std::string &name)
{
    const auto &keys = configKeys();
    auto it = std::find_if(keys.begin(), keys.end(), [&](const ConfigKey &k) { return name == k.name; });
    if (it != keys.end())
        return &*it;
    if (auto family = parseListenerKey(name))
        return findConfigKey(isJaasKey(family->key) ? std::string(kJaasKey) : family->key);
    return nullptr;
}

const std::vector<std::string> &listenerOverridableKeys()
{
    // The TLS settings of a server, and Kafka's JAAS login per mechanism (lower case, as Kafka
    // writes it); the rest (timeouts, SASL mechanisms) stays node-wide.
    static const std::vector<std::string> keys = {
        "ssl.certificate.location", "ssl.key.location", "ssl.key.password", "ssl.ca.location",
        "ssl.client.auth",          "ssl.enabled.protocols", "ssl.cipher.suites",
        "plain.sasl.jaas.config",   "scram-sha-256.sasl.jaas.config", "scram-sha-512.sasl.jaas.config",
    };
    return keys;
}

bool isJaasKey(const std::string &familyKey)
{
    const std::string suffix = std::string(".") + kJaasKey;
    return familyKey.size() > suffix.size() && familyKey.compare(familyKey.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string jaasKeyMechanism(const std::string &familyKey)
{
    std::string mechanism = familyKey.substr(0, familyKey.size() - std::string(kJaasKey).size() - 1);
    std::transform(mechanism.begin(), mechanism.end(), mechanism.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return mechanism;
}

std::optional<ListenerKey> parseListenerKey(const std::string &name)
{
    const std::string prefix = kListenerKeyPrefix;
    if (name.rfind(prefix, 0) != 0)
        return std::nullopt;
    const size_t dot = name.find('.', prefix.size());
    if (dot == std::string::npos || dot == prefix.size())
        return std::nullopt;
    std::string listener = name.substr(prefix.size(), dot - prefix.size());
    std::string key = name.substr(dot + 1);
    const auto &keys = listenerOverridableKeys();
    if (std::find(keys.begin(), keys.end(), key) == keys.end())
        return std::nullopt;
    if (!std::all_of(listener.begin(), listener.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }))
        return std::nullopt;
    return ListenerKey{std::move(listener), std::move(key)};
}

std::optional<std::string> listenerKeyForFlag(const std::string &flag)
{
    const std::string prefix = flagForKey(kListenerKeyPrefix);   // "--listener-name-"
    if (flag.rfind(prefix, 0) != 0)
        return std::nullopt;
    for (const std::string &key : listenerOverridableKeys()) {
        const std::string suffix = "-" + flagForKey(key).substr(2);   // "-ssl-key-location"
        if (flag.size() <= prefix.size() + suffix.size() || flag.compare(flag.size() - suffix.size(), suffix.size(), suffix) != 0)
            continue;
        std::string listener = flag.substr(prefix.size(), flag.size() - prefix.size() - suffix.size());
        std::replace(listener.begin(), listener.end(), '-', '_');
        const std::string name = kListenerKeyPrefix + listener + "." + key;
        if (parseListenerKey(name))
            return name;
    }
    return std::nullopt;
}

std::string flagForKey(const std::string &name)
{
    std::string flag = "--" + name;
    std::replace(flag.begin() + 2, flag.end(), '.', '-');
    std::replace(flag.begin() + 2, flag.end(), '_', '-');
    return flag;
}

const char *configTypeName(ConfigType type)
{
    switch (type) {
    case ConfigType::Int: return "integer";
    case ConfigType::Bool: return "boolean";
    case ConfigType::String: return "string";
    case ConfigType::Address: return "host:port";
    case ConfigType::Peers: return "id@host:port,...";
    }
    return "?";
}

} // namespace skiff::core
