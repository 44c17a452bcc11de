#include "core/ConfigLoader.h"

#include "common/TopicRules.h"
#include "core/AdminAccess.h"
#include "core/ConfigKeys.h"

#include <toml++/toml.h>

#include <algorithm>
#include <limits>
#include <cctype>
#include <climits>
#include <functional>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

namespace skiff::core {
namespace {

size_t editDistance(const std::string &a, const std::string &b)
{
    std::vector<size_t> row(b.size() + 1);
    for (size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            const size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::string didYouMean(const std::string &key)
{
    std::vector<std::string> candidates;
    for (const auto &k : configKeys())
        candidates.push_back(k.name);
    // listener.name.client.ssl.key.locaton: the family's keys for the listener it names.
    const std::string prefix = kListenerKeyPrefix;
    if (const size_t dot = key.find('.', prefix.size()); key.rfind(prefix, 0) == 0 && dot != std::string::npos)
        for (const std::string &k : listenerOverridableKeys())
            candidates.push_back(key.substr(0, dot + 1) + k);
    const std::string *best = nullptr;
    size_t bestDistance = 4;
    for (const std::string &candidate : candidates) {
        const size_t d = editDistance(key, candidate);
        if (d < bestDistance) {
            best = &candidate;
            bestDistance = d;
        }
    }
    return best ? " (did you mean '" + *best + "'?)" : std::string();
}

// The entries of a ';'-separated list (super.users, admin.ssl.principals: a principal or a
// certificate subject has commas in it), each trimmed of blanks, empty ones left out.
std::vector<std::string> splitSemicolons(std::string_view rest)
{
    std::vector<std::string> entries;
    while (!rest.empty()) {
        const size_t end = rest.find(';');
        std::string entry(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        entry.erase(0, entry.find_first_not_of(" \t"));
        entry.erase(entry.find_last_not_of(" \t") + 1);
        if (!entry.empty())
            entries.push_back(std::move(entry));
    }
    return entries;
}

bool parseInt(const std::string &text, int64_t &out)
{
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

} // namespace

ConfigLoader::Outcome ConfigLoader::load(const std::vector<std::string> &args)
{
    Outcome outcome;
    ConfigLoader loader(outcome);
    for (const auto &k : configKeys())
        loader.m_values[k.name] = k.defaultValue;

    for (size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--help" || args[i] == "-h") {
            outcome.action = Action::PrintHelp;
            return outcome;
        }
        if (args[i] == "--version") {
            outcome.action = Action::PrintVersion;
            return outcome;
        }
    }
    for (size_t i = 0; i < args.size(); ++i) {
        std::string file;
        if (args[i] == "--config") {
            if (i + 1 >= args.size()) {
                loader.error("--config needs a file name");
                return outcome;
            }
            file = args[i + 1];
        } else if (args[i].rfind("--config=", 0) == 0) {
            file = args[i].substr(9);
        }
        if (!file.empty()) {
            outcome.config.configFile = file;
            loader.loadFile(file);
        }
    }
    loader.applyFlags(args);
    if (outcome.errors.empty())
        loader.validate();
    return outcome;
}

void ConfigLoader::loadFile(const std::string &path)
{
    // A directory opens as an empty stream and parses as an empty table: without this check the
    // node would start on the defaults while the operator believes their file is in force.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        error(path + ": is a directory, not a config file; give --config the path of the TOML file");
        return;
    }
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error &e) {
        const auto &where = e.source().begin;
        if (!std::filesystem::exists(path)) {
            error(path + ": cannot read the config file: no such file");
            return;
        }
        error(path + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) + ": "
              + std::string(e.description()));
        return;
    }

    // TOML tables and dotted keys both flatten to Kafka-style dotted names.
    std::function<void(const toml::table &, const std::string &)> flatten;
    flatten = [&](const toml::table &table, const std::string &prefix) {
        for (auto &&[name, node] : table) {
            const std::string key = prefix.empty() ? std::string(name.str()) : prefix + "." + std::string(name.str());
            const std::string origin = path + ":" + std::to_string(node.source().begin.line);
            if (key == "peers") {
                const toml::array *peers = node.as_array();
                if (!peers) {
                    error(origin + ": peers must be an array of tables: [[peers]] id = 1, address = \"host:port\"");
                    continue;
                }
                std::string list;
                for (const auto &entry : *peers) {
                    const toml::table *peer = entry.as_table();
                    const auto id = peer ? (*peer)["id"].value<int64_t>() : std::nullopt;
                    const auto address = peer ? (*peer)["address"].value<std::string>() : std::nullopt;
                    if (!id || !address) {
                        error(path + ":" + std::to_string(entry.source().begin.line)
                              + ": each [[peers]] entry needs id (integer) and address (\"host:port\")");
                        continue;
                    }
                    for (auto &&[field, value] : *peer) {
                        (void)value;
                        if (field.str() != "id" && field.str() != "address")
                            error(path + ":" + std::to_string(entry.source().begin.line) + ": unknown key '"
                                  + std::string(field.str()) + "' in [[peers]] (expected id and address)");
                    }
                    list += (list.empty() ? "" : ",") + std::to_string(*id) + "@" + *address;
                }
                setValue(key, list, origin);
                continue;
            }
            if (const toml::table *sub = node.as_table()) {
                flatten(*sub, key);
                continue;
            }
            const ConfigKey *def = findConfigKey(key);
            if (!def) {
                error(origin + ": unknown key '" + key + "'" + didYouMean(key));
                continue;
            }
            std::string text;
            if (auto v = node.value_exact<int64_t>(); v && def->type == ConfigType::Int)
                text = std::to_string(*v);
            else if (auto b = node.value_exact<bool>(); b && def->type == ConfigType::Bool)
                text = *b ? "true" : "false";
            else if (auto s = node.value_exact<std::string>();
                     s && (def->type == ConfigType::String || def->type == ConfigType::Address))
                text = *s;
            else {
                const char *expected = def->type == ConfigType::Int    ? "an integer"
                                       : def->type == ConfigType::Bool     ? "true or false"
                                       : def->type == ConfigType::Address ? "a \"host:port\" string"
                                                                          : "a string";
                error(origin + ": " + key + " must be " + expected);
                continue;
            }
            setValue(key, text, origin);
        }
    };
    flatten(root, "");
}

void ConfigLoader::applyFlags(const std::vector<std::string> &args)
{
    std::map<std::string, std::string> keyForFlag;
    for (const auto &k : configKeys())
        keyForFlag[flagForKey(k.name)] = k.name;

    for (size_t i = 0; i < args.size(); ++i) {
        std::string flag = args[i];
        std::string value;
        bool hasValue = false;
        if (const auto eq = flag.find('='); flag.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = flag.substr(eq + 1);
            flag = flag.substr(0, eq);
            hasValue = true;
        }
        if (flag == "--config") {
            if (!hasValue)
                ++i;
            continue;
        }
        auto it = keyForFlag.find(flag);
        if (it == keyForFlag.end()) {
            if (auto family = listenerKeyForFlag(flag))
                it = keyForFlag.emplace(flag, *family).first;
        }
        if (it == keyForFlag.end()) {
            error("unknown argument '" + args[i] + "' (skiffd --help lists every flag)");
            continue;
        }
        if (!hasValue) {
            if (i + 1 >= args.size()) {
                error(flag + " needs a value");
                continue;
            }
            value = args[++i];
        }
        setValue(it->second, value, flag);
    }
}

void ConfigLoader::setValue(const std::string &key, const std::string &value, const std::string &origin)
{
    const ConfigKey *def = findConfigKey(key);
    if (def && def->type == ConfigType::Int) {
        int64_t parsed = 0;
        if (!parseInt(value, parsed)) {
            error(origin + ": " + key + " must be an integer, got '" + value + "'");
            return;
        }
    }
    if (def && def->type == ConfigType::Bool && value != "true" && value != "false") {
        error(origin + ": " + key + " must be true or false, got '" + value + "'");
        return;
    }
    m_values[key] = value;
    m_given.insert(key);
}

void ConfigLoader::validate()
{
    NodeConfig &c = m_outcome.config;
    auto integer = [&](const char *key) {
        int64_t v = 0;
        parseInt(m_values[key], v);
        return v;
    };
    auto address = [&](const char *key, HostPort &out) {
        auto parsed = HostPort::parse(m_values[key]);
        if (!parsed.isOk()) {
            error(std::string(key) + ": " + parsed.status().message());
            return false;
        }
        out = parsed.value();
        return true;
    };
    auto atLeast = [&](const char *key, int64_t min, int64_t max = INT64_MAX) {
        const int64_t v = integer(key);
        if (v < min || v > max)
            error(std::string(key) + " must be from " + std::to_string(min) + " to " + std::to_string(max) + ", got "
                  + std::to_string(v));
        return v;
    };

    c.nodeId = static_cast<uint64_t>(atLeast("node.id", 1));
    c.clusterId = m_values["cluster.id"];
    if (c.clusterId.empty()
        || !std::all_of(c.clusterId.begin(), c.clusterId.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.'; }))
        error("cluster.id must be non-empty letters, digits, '-', '_' or '.', got '" + c.clusterId + "'");
    c.dataDir = m_values["data.dir"];

    address("raft.listen", c.raftListen);
    address("admin.listen", c.adminListen);
    c.adminToken = m_values["admin.token"];
    c.clusterJoinToken = m_values["cluster.join.token"];
    address("http.listen", c.httpListen);
    validateKafkaListeners();
    // One port, one service: two listeners on one port is always a mistake in the config.
    std::vector<std::pair<std::string, const HostPort *>> listeners;
    for (const KafkaListener &l : c.kafkaListeners)
        listeners.emplace_back(m_values["listeners"].empty() ? "kafka.listen" : "listener " + l.name, &l.bind);
    listeners.insert(listeners.end(), {{"raft.listen", &c.raftListen}, {"admin.listen", &c.adminListen}, {"http.listen", &c.httpListen}});
    for (size_t i = 0; i < listeners.size(); ++i)
        for (size_t j = i + 1; j < listeners.size(); ++j)
            if (listeners[i].second->port != 0 && listeners[i].second->port == listeners[j].second->port)
                error(listeners[i].first + " and " + listeners[j].first + " both use port "
                      + std::to_string(listeners[i].second->port) + "; give each service its own port");

    // Peers: "1@host:port,2@host:port".
    std::set<uint64_t> ids;
    std::set<std::string> addresses;
    const std::string &peerList = m_values["peers"];
    size_t start = 0;
    while (start < peerList.size()) {
        size_t end = peerList.find(',', start);
        if (end == std::string::npos)
            end = peerList.size();
        const std::string item = peerList.substr(start, end - start);
        start = end + 1;
        const auto at = item.find('@');
        int64_t id = 0;
        if (at == std::string::npos || !parseInt(item.substr(0, at), id) || id < 1) {
            error("peers: '" + item + "' is not id@host:port (for example 2@10.0.0.2:9093)");
            continue;
        }
        auto addr = HostPort::parse(item.substr(at + 1));
        if (!addr.isOk()) {
            error("peers: node " + std::to_string(id) + ": " + addr.status().message());
            continue;
        }
        if (!ids.insert(uint64_t(id)).second)
            error("peers: node id " + std::to_string(id) + " is listed twice");
        if (!addresses.insert(addr->toString()).second)
            error("peers: address " + addr->toString() + " is listed for two nodes");
        c.peers.push_back({uint64_t(id), addr.value()});
    }
    if (!c.peers.empty()) {
        auto self = std::find_if(c.peers.begin(), c.peers.end(), [&](const PeerSpec &p) { return p.id == c.nodeId; });
        if (self == c.peers.end())
            error("peers: this node (node.id " + std::to_string(c.nodeId) + ") is not in the peer list");
        else if (self->raftAddress.port != c.raftListen.port)
            error("peers: node " + std::to_string(c.nodeId) + " is listed at " + self->raftAddress.toString()
                  + " but raft.listen is " + c.raftListen.toString());
    }

    if (!m_values["join"].empty() && address("join", c.join)) {
        if (!c.peers.empty())
            error("join: a node joining an existing cluster takes its members from it; remove peers (or remove join to "
                  "start a new cluster with these peers)");
        if (c.join == c.raftListen)
            error("join: " + c.join.toString() + " is this node's own raft.listen; give the raft address of a member of the "
                  "cluster to join");
    }
    c.raftTickMs = atLeast("raft.tick.ms", 1, 10000);
    c.raftElectionTimeoutMs = atLeast("raft.election.timeout.ms", 1, 600000);
    if (c.raftElectionTimeoutMs < 3 * c.raftTickMs)
        error("raft.election.timeout.ms must be at least 3 times raft.tick.ms (" + std::to_string(c.raftTickMs)
              + "), got " + std::to_string(c.raftElectionTimeoutMs));
    c.brokerHeartbeatIntervalMs = atLeast("broker.heartbeat.interval.ms", 1, 600000);
    c.brokerSessionTimeoutMs = atLeast("broker.session.timeout.ms", 1, 3600000);
    if (c.brokerSessionTimeoutMs <= c.brokerHeartbeatIntervalMs)
        error("broker.session.timeout.ms (" + std::to_string(c.brokerSessionTimeoutMs)
              + ") must be longer than broker.heartbeat.interval.ms (" + std::to_string(c.brokerHeartbeatIntervalMs) + ")");
    c.replicaLagTimeMaxMs = atLeast("replica.lag.time.max.ms", 100, 3600000);
    c.replicaFetchWaitMaxMs = atLeast("replica.fetch.wait.max.ms", 0, 60000);
    if (c.replicaFetchWaitMaxMs >= c.replicaLagTimeMaxMs)
        error("replica.fetch.wait.max.ms (" + std::to_string(c.replicaFetchWaitMaxMs) + ") must be below replica.lag.time.max.ms ("
              + std::to_string(c.replicaLagTimeMaxMs) + "), or caught-up followers would leave the ISR");
    c.replicaFetchMaxBytes = atLeast("replica.fetch.max.bytes", 1, 1 << 30);
    c.autoLeaderRebalance = m_values["auto.leader.rebalance.enable"] == "true";
    c.leaderImbalanceCheckIntervalSeconds = atLeast("leader.imbalance.check.interval.seconds", 1, 86400);
    c.leaderImbalancePerBrokerPercentage = atLeast("leader.imbalance.per.broker.percentage", 0, 100);
    c.metadataSnapshotEntries = atLeast("metadata.snapshot.entries", 10);
    c.watchdogMissMs = atLeast("watchdog.miss.ms", 1, 600000);
    c.watchdogStallMs = atLeast("watchdog.stall.ms", 1, 3600000);
    if (c.watchdogStallMs < c.watchdogMissMs)
        error("watchdog.stall.ms (" + std::to_string(c.watchdogStallMs) + ") must be at least watchdog.miss.ms ("
              + std::to_string(c.watchdogMissMs) + ")");
    c.lockWitness = m_values["lock.witness.enable"] == "true";

    c.autoCreateTopics = m_values["auto.create.topics.enable"] == "true";
    c.numPartitions = static_cast<int32_t>(atLeast("num.partitions", 1, kMaxPartitionsPerTopic));
    c.defaultReplicationFactor = static_cast<int16_t>(atLeast("default.replication.factor", 1, kMaxReplicationFactor));
    c.maxPartitionsPerBroker = atLeast("max.partitions.per.broker", 1, 10000000);
    c.socketRequestMaxBytes = atLeast("socket.request.max.bytes", 1024, INT32_MAX);
    c.queuedMaxRequestBytes = atLeast("queued.max.request.bytes", 1 << 20, int64_t(1) << 40);
    c.socketRequestTimeoutMs = atLeast("socket.request.timeout.ms", 1, INT32_MAX);
    c.connectionsMaxIdleMs = atLeast("connections.max.idle.ms", 1, INT32_MAX);
    c.connectionsMaxReauthMs = atLeast("connections.max.reauth.ms", 0, INT32_MAX);
    c.adminConnectionsMaxIdleMs = atLeast("admin.connections.max.idle.ms", 1, INT32_MAX);
    c.offsetsTopicNumPartitions = static_cast<int32_t>(atLeast("offsets.topic.num.partitions", 1, 1000));
    c.offsetsTopicReplicationFactor = atLeast("offsets.topic.replication.factor", 0, 32767);
    c.offsetsRetentionMinutes = atLeast("offsets.retention.minutes", 1, INT32_MAX);
    c.offsetsRetentionCheckIntervalMs = atLeast("offsets.retention.check.interval.ms", 1, INT32_MAX);
    c.groupMinSessionTimeoutMs = static_cast<int32_t>(atLeast("group.min.session.timeout.ms", 1, INT32_MAX));
    c.groupMaxSessionTimeoutMs = static_cast<int32_t>(atLeast("group.max.session.timeout.ms", 1, INT32_MAX));
    if (c.groupMaxSessionTimeoutMs < c.groupMinSessionTimeoutMs)
        error("group.max.session.timeout.ms (" + std::to_string(c.groupMaxSessionTimeoutMs)
              + ") must not be smaller than group.min.session.timeout.ms (" + std::to_string(c.groupMinSessionTimeoutMs) + ")");
    c.groupInitialRebalanceDelayMs = static_cast<int32_t>(atLeast("group.initial.rebalance.delay.ms", 0, INT32_MAX));
    c.messageMaxBytes = atLeast("message.max.bytes", 0, INT32_MAX);
    c.logSegmentBytes = atLeast("log.segment.bytes", 14, INT32_MAX);
    c.logSegmentMs = atLeast("log.segment.ms", 1);
    c.minInsyncReplicas = atLeast("min.insync.replicas", 1, std::numeric_limits<int32_t>::max());
    c.logRetentionMs = atLeast("log.retention.ms", -1);
    c.logRetentionBytes = atLeast("log.retention.bytes", -1);
    c.logRetentionCheckIntervalMs = atLeast("log.retention.check.interval.ms", 1);
    c.logMessageTimestampType = m_values["log.message.timestamp.type"];
    if (c.logMessageTimestampType != "CreateTime" && c.logMessageTimestampType != "LogAppendTime")
        error("log.message.timestamp.type must be CreateTime or LogAppendTime, got '" + c.logMessageTimestampType + "'");
    const std::string &mode = m_values["log.flush.mode"];
    if (mode == "fsync")
        c.flushMode = FlushMode::Fsync;
    else if (mode == "interval")
        c.flushMode = FlushMode::Interval;
    else
        error("log.flush.mode must be fsync or interval, got '" + mode + "'");
    c.flushIntervalMs = atLeast("log.flush.interval.ms", 1);
    c.logMaxOpenFiles = atLeast("log.max.open.files", 0, 1 << 24);
    c.loggingLevel = m_values["logging.level"];
    if (c.loggingLevel != "debug" && c.loggingLevel != "info" && c.loggingLevel != "warning" && c.loggingLevel != "critical")
        error("logging.level must be debug, info, warning or critical, got '" + c.loggingLevel + "'");
    c.loggingRules = m_values["logging.rules"];

    if (m_outcome.errors.empty())
        validateDataDir();
}

void ConfigLoader::validateKafkaListeners()
{
    NodeConfig &c = m_outcome.config;
    const bool named = !m_values["listeners"].empty();
    if (named) {
        for (const char *shorthand : {"kafka.listen", "kafka.advertise"})
            if (m_given.count(shorthand))
                error(std::string(shorthand) + " and listeners are both set; name every listener in listeners (" + shorthand
                      + " is a shorthand for a single PLAINTEXT listener)");
    } else {
        for (const char *named : {"advertised.listeners", "listener.security.protocol.map", "inter.broker.listener.name"})
            if (!m_values[named].empty())
                error(std::string(named) + " is set but listeners is not; name the listeners in listeners");
    }
    ListenerKeys keys;
    if (named) {
        keys = {m_values["listeners"], m_values["advertised.listeners"], m_values["listener.security.protocol.map"],
                m_values["inter.broker.listener.name"]};
    } else {
        // The shorthand: one PLAINTEXT listener, with the errors in the shorthand's own words.
        auto listen = HostPort::parse(m_values["kafka.listen"]);
        if (!listen.isOk())
            return error("kafka.listen: " + listen.status().message());
        HostPort advertised = listen.value();
        if (!m_values["kafka.advertise"].empty()) {
            auto parsed = HostPort::parse(m_values["kafka.advertise"]);
            if (!parsed.isOk())
                return error("kafka.advertise: " + parsed.status().message());
            if (parsed->isWildcard())
                return error("kafka.advertise: " + parsed->host + " cannot be given to clients; set the address clients should connect to");
            advertised = parsed.value();
        } else if (listen->isWildcard()) {
            return error("kafka.advertise: kafka.listen is " + listen->host
                         + ", which clients cannot connect to; set kafka.advertise to the address clients should use");
        }
        keys.listeners = "PLAINTEXT://" + listen->toString();
        keys.advertisedListeners = "PLAINTEXT://" + advertised.toString();
    }
    std::vector<std::string> errors;
    c.kafkaListeners = parseKafkaListeners(keys, errors);
    for (const std::string &e : errors)
        error(e);

    c.tls = tlsFiles("");
    c.sslHandshakeTimeoutMs = [&] {
        int64_t v = 0;
        parseInt(m_values["ssl.handshake.timeout.ms"], v);
        if (v < 1 || v > 600000)
            error("ssl.handshake.timeout.ms must be from 1 to 600000, got " + m_values["ssl.handshake.timeout.ms"]);
        return v;
    }();
    validateListenerTls();
    c.raftTls = m_values["raft.ssl.enable"] == "true";
    if (c.raftTls && (c.tls.certificate.empty() || c.tls.key.empty() || c.tls.ca.empty()))
        error("raft.ssl.enable: peer links need ssl.certificate.location, ssl.key.location and ssl.ca.location (the CA every node's certificate chains to)");
    validateSasl();
    validateAuthorizer();
    validateAdminAccess();
    if (!c.kafkaListeners.empty() && usesTls(c.interBrokerListener().protocol) && c.tlsFor(c.interBrokerListener().name).ca.empty())
        error("inter.broker.listener.name: followers fetch from " + c.interBrokerListener().name
              + " over TLS; set ssl.ca.location to the CA that leaders' certificates chain to (or "
              + listenerKey(c.interBrokerListener().name, "ssl.ca.location") + " for that listener alone)");
}

std::string ConfigLoader::listenerKey(const std::string &listener, const std::string &key)
{
    std::string lower = listener;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
    return kListenerKeyPrefix + lower + "." + key;
}

net::TlsFiles ConfigLoader::tlsFiles(const std::string &listener)
{
    // A listener's own value wins over the node-wide one (Kafka's listener.name.<listener>. rule);
    // errors name the key that was set.
    auto keyOf = [&](const std::string &key) {
        return !listener.empty() && m_given.count(listenerKey(listener, key)) ? listenerKey(listener, key) : key;
    };
    auto value = [&](const std::string &key) { return m_values[keyOf(key)]; };
    net::TlsFiles files;
    files.certificate = value("ssl.certificate.location");
    files.key = value("ssl.key.location");
    files.keyPassword = value("ssl.key.password");
    files.ca = value("ssl.ca.location");
    files.cipherSuites = value("ssl.cipher.suites");
    if (auto auth = net::parseClientAuth(value("ssl.client.auth")); auth.isOk())
        files.clientAuth = auth.value();
    else
        error(keyOf("ssl.client.auth") == "ssl.client.auth" ? auth.status().message()
                                                           : keyOf("ssl.client.auth") + ": " + auth.status().message());
    const std::string protocols = value("ssl.enabled.protocols");
    if (protocols == "TLSv1.3")
        files.tls13Only = true;
    else if (protocols != "TLSv1.2,TLSv1.3" && protocols != "TLSv1.3,TLSv1.2")
        error(keyOf("ssl.enabled.protocols") + " must be TLSv1.2,TLSv1.3 or TLSv1.3 (older versions are not offered), got '"
              + protocols + "'");
    return files;
}

void ConfigLoader::validateListenerTls()
{
    NodeConfig &c = m_outcome.config;
    if (c.kafkaListeners.empty())
        return;   // the listeners themselves are wrong: that is what to fix first
    std::set<std::string> overridden;   // listener names (upper case) with listener.name.<x>.ssl.* keys
    for (const std::string &key : m_given) {
        const auto family = parseListenerKey(key);
        if (!family || isJaasKey(family->key))
            continue;   // JAAS lines: validateSasl
        const KafkaListener *listener = listenerOfKey(key, *family);
        if (listener && !usesTls(listener->protocol))
            error(key + ": listener " + listener->name + " is " + securityProtocolName(listener->protocol)
                  + ", which uses no TLS; listener.name.<listener>.ssl.* keys apply to SSL and SASL_SSL listeners");
        else if (listener)
            overridden.insert(listener->name);
    }

    bool globalFilesMissing = false;
    for (const KafkaListener &l : c.kafkaListeners) {
        if (!usesTls(l.protocol))
            continue;
        const bool own = overridden.count(l.name) > 0;
        const net::TlsFiles files = own ? tlsFiles(l.name) : c.tls;
        if (own)
            c.listenerTls[l.name] = files;
        if (files.certificate.empty() || files.key.empty()) {
            if (own)
                error("listener " + l.name + " needs a certificate and its key: set "
                      + listenerKey(l.name, "ssl.certificate.location") + " and " + listenerKey(l.name, "ssl.key.location")
                      + " (or ssl.certificate.location and ssl.key.location for every SSL listener)");
            else
                globalFilesMissing = true;
        }
        // SASL_SSL listeners ask for no client certificate (KIP-684): their client auth is unused.
        if (l.protocol == SecurityProtocol::Ssl && files.clientAuth != net::ClientAuth::None && files.ca.empty()) {
            const bool ownAuth = own && m_given.count(listenerKey(l.name, "ssl.client.auth"));
            error((ownAuth ? listenerKey(l.name, "ssl.client.auth") : std::string("ssl.client.auth")) + " is "
                  + (files.clientAuth == net::ClientAuth::Required ? "required" : "requested") + " for listener " + l.name
                  + " but no CA is set to check client certificates against: set "
                  + (own ? listenerKey(l.name, "ssl.ca.location") + " or " : std::string()) + "ssl.ca.location");
        }
    }
    if (globalFilesMissing)
        error("listeners: an SSL listener needs ssl.certificate.location and ssl.key.location");
}

const KafkaListener *ConfigLoader::listenerOfKey(const std::string &key, const ListenerKey &family)
{
    const NodeConfig &c = m_outcome.config;
    std::string upper = family.listener;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char ch) { return char(std::toupper(ch)); });
    auto listener = std::find_if(c.kafkaListeners.begin(), c.kafkaListeners.end(),
                                 [&](const KafkaListener &l) { return l.name == upper; });
    if (listenerKey(upper, family.key) != key) {
        error(key + ": write the listener name in lower case, as Kafka does (" + listenerKey(upper, family.key) + ")");
        return nullptr;
    }
    if (listener == c.kafkaListeners.end()) {
        std::string names;
        for (const KafkaListener &l : c.kafkaListeners)
            names += (names.empty() ? "" : ", ") + l.name;
        error(key + ": there is no listener " + upper + " (listeners: " + names + "); name one of them in lower case");
        return nullptr;
    }
    return &*listener;
}

std::optional<JaasLogin> ConfigLoader::checkedJaas(const std::string &key, const std::string &mechanism)
{
    auto login = parseJaasConfig(m_values[key]);
    if (!login.isOk()) {
        // The parser's lines begin "sasl.jaas.config: "; this says which key.
        const std::string &why = login.status().message();
        error(key + why.substr(why.find(':')));
        return std::nullopt;
    }
    for (const auto &[name, value] : login->options) {
        if (name.rfind("user_", 0) == 0) {
            error(key + ": option " + name + " is Kafka's static PLAIN user list, which skiffd does not read: users live in "
                        "the cluster (skiffctl users set), for PLAIN and SCRAM alike");
            return std::nullopt;
        }
        if (name != "username" && name != "password") {
            error(key + ": option " + name + " is not one skiffd reads (username and password: the login followers use)");
            return std::nullopt;
        }
    }
    if (!mechanism.empty() && !jaasModuleServes(login->module, mechanism)) {
        error(key + ": " + login->module + " is not a login module for " + mechanism
              + " (org.apache.kafka.common.security.plain.PlainLoginModule for PLAIN, "
                "org.apache.kafka.common.security.scram.ScramLoginModule for SCRAM-SHA-256 and SCRAM-SHA-512)");
        return std::nullopt;
    }
    return std::move(login).value();
}

std::optional<ConfigLoader::JaasChoice> ConfigLoader::jaasInterBrokerLogin(const std::string &mechanism)
{
    const NodeConfig &c = m_outcome.config;
    const KafkaListener *interBroker = c.kafkaListeners.empty() ? nullptr : &c.interBrokerListener();
    std::optional<JaasChoice> chosen;
    for (const std::string &key : m_given) {
        const auto family = parseListenerKey(key);
        if (!family || !isJaasKey(family->key))
            continue;
        const KafkaListener *listener = listenerOfKey(key, *family);
        if (!listener)
            continue;
        if (!usesSasl(listener->protocol)) {
            error(key + ": listener " + listener->name + " is " + securityProtocolName(listener->protocol)
                  + ", which uses no SASL; a JAAS login applies to SASL_PLAINTEXT and SASL_SSL listeners");
            continue;
        }
        const std::string keyMechanism = jaasKeyMechanism(family->key);
        auto login = checkedJaas(key, keyMechanism);
        if (listener == interBroker && keyMechanism == mechanism)
            chosen = JaasChoice{key, std::move(login)};
    }
    if (m_given.count(kJaasKey)) {
        const bool used = !chosen && interBroker && usesSasl(interBroker->protocol);
        auto login = checkedJaas(kJaasKey, used ? mechanism : std::string());
        if (used)
            chosen = JaasChoice{kJaasKey, std::move(login)};
    }
    return chosen;
}

void ConfigLoader::validateSasl()
{
    NodeConfig &c = m_outcome.config;
    for (const std::string &name : splitList(m_values["sasl.enabled.mechanisms"])) {
        const auto &known = saslMechanismNames();
        if (std::find(known.begin(), known.end(), name) == known.end())
            error("sasl.enabled.mechanisms: '" + name + "' is not a mechanism skiffd serves (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; names are case-sensitive)");
        else if (std::find(c.saslMechanisms.begin(), c.saslMechanisms.end(), name) == c.saslMechanisms.end())
            c.saslMechanisms.push_back(name);
    }
    const bool anySasl = std::any_of(c.kafkaListeners.begin(), c.kafkaListeners.end(),
                                     [](const KafkaListener &l) { return usesSasl(l.protocol); });
    if (anySasl && c.saslMechanisms.empty())
        error("sasl.enabled.mechanisms: a SASL listener needs at least one mechanism");
    // Followers log in to a SASL inter-broker listener with credentials of their own: skiffd's
    // keys, or Kafka's JAAS line for that listener and mechanism (or node-wide).
    const auto jaas = jaasInterBrokerLogin(m_values["sasl.mechanism.inter.broker.protocol"]);
    if (c.kafkaListeners.empty() || !usesSasl(c.interBrokerListener().protocol))
        return;
    const KafkaListener &interBroker = c.interBrokerListener();
    InterBrokerSasl login{m_values["sasl.mechanism.inter.broker.protocol"], m_values["inter.broker.sasl.username"],
                          m_values["inter.broker.sasl.password"]};
    if (jaas && (m_given.count("inter.broker.sasl.username") || m_given.count("inter.broker.sasl.password")))
        error(jaas->key + " and inter.broker.sasl.username/password both give the followers' login; keep one");
    else if (jaas && jaas->login) {
        const auto user = jaas->login->options.find("username");
        const auto password = jaas->login->options.find("password");
        if (user == jaas->login->options.end() || password == jaas->login->options.end())
            error(jaas->key + ": the followers' login needs options username and password (a user made with skiffctl users set)");
        else {
            login.username = user->second;
            login.password = password->second;
        }
    }
    const auto &known = saslMechanismNames();
    if (std::find(known.begin(), known.end(), login.mechanism) == known.end())
        error("sasl.mechanism.inter.broker.protocol: '" + login.mechanism
              + "' is not a mechanism skiffd has (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; names are case-sensitive)");
    // As Kafka: the leaders' listener must offer what followers log in with.
    else if (std::find(c.saslMechanisms.begin(), c.saslMechanisms.end(), login.mechanism) == c.saslMechanisms.end())
        error("sasl.mechanism.inter.broker.protocol: " + login.mechanism + " is not in sasl.enabled.mechanisms ("
              + m_values["sasl.enabled.mechanisms"] + "), so leaders would refuse it; enable it or choose one of them");
    if (!jaas && (login.username.empty() || login.password.empty()))
        error("inter.broker.listener.name: followers fetch from " + interBroker.name + " ("
              + securityProtocolName(interBroker.protocol)
              + ") and must log in; set inter.broker.sasl.username and inter.broker.sasl.password (a user made with "
                "skiffctl users set), or Kafka's listener.name.<listener>.<mechanism>.sasl.jaas.config");
    c.interBrokerSasl = std::move(login);
}

void ConfigLoader::validateAuthorizer()
{
    NodeConfig &c = m_outcome.config;
    c.authorizerEnable = m_values["authorizer.enable"] == "true";
    c.allowEveryoneIfNoAclFound = m_values["allow.everyone.if.no.acl.found"] == "true";
    for (std::string &principal : splitSemicolons(m_values["super.users"])) {
        if (principal.find(':') == std::string::npos || principal.front() == ':')
            error("super.users: '" + principal + "' is not a principal (Type:name, e.g. User:admin; separate them with ';')");
        else
            c.superUsers.push_back(std::move(principal));
    }
}

void ConfigLoader::validateAdminAccess()
{
    NodeConfig &c = m_outcome.config;
    AdminAccess &a = c.adminAccess;
    a.tls = m_values["admin.ssl.enable"] == "true";
    if (a.tls && (c.tls.certificate.empty() || c.tls.key.empty()))
        error("admin.ssl.enable: the admin socket needs ssl.certificate.location and ssl.key.location (the node's certificate)");
    const std::string &clientAuth = m_values["admin.ssl.client.auth"];
    if (auto parsed = net::parseClientAuth(clientAuth, "admin.ssl.client.auth"); !parsed.isOk())
        return error(parsed.status().message());
    else
        a.clientAuth = parsed.value();
    if (a.clientAuth != net::ClientAuth::None && !a.tls)
        error("admin.ssl.client.auth is " + clientAuth
              + " but admin.ssl.enable is false: client certificates come with TLS; set admin.ssl.enable = true");
    else if (a.clientAuth != net::ClientAuth::None && c.tls.ca.empty())
        error("admin.ssl.client.auth is " + clientAuth
              + " but ssl.ca.location is not set: client certificates need a CA to be checked against");

    const std::string &mutationAuth = m_values["admin.mutation.auth"];
    if (mutationAuth.empty()) {
        a.mutationAuth = c.adminToken.empty() ? MutationAuth::Open : MutationAuth::Token;   // as before the key existed
    } else if (auto parsed = parseMutationAuth(mutationAuth); !parsed.isOk()) {
        return error(parsed.status().message());
    } else {
        a.mutationAuth = parsed.value();
    }
    const std::string rule = "admin.mutation.auth = " + mutationAuth;
    if (takesCertificate(a.mutationAuth) && !a.tls)
        error(rule + " needs admin.ssl.enable = true: client certificates come with TLS");
    else if (takesCertificate(a.mutationAuth) && a.clientAuth == net::ClientAuth::None)
        error(rule + " needs admin.ssl.client.auth = requested or required: with none, no client sends a certificate");
    if (takesToken(a.mutationAuth) && c.adminToken.empty())
        error(rule + " needs admin.token: set the token mutations must carry");
    if (!takesToken(a.mutationAuth) && !mutationAuth.empty() && !c.adminToken.empty())
        error("admin.token is set but " + rule
              + " never asks for it; remove admin.token, or use token-or-certificate or token-and-certificate");

    for (std::string &subject : splitSemicolons(m_values["admin.ssl.principals"])) {
        if (subject.rfind("User:", 0) == 0)   // the principal's form is welcome too
            subject.erase(0, 5);
        if (subject.empty())
            continue;
        if (subject.find('=') == std::string::npos)
            error("admin.ssl.principals: '" + subject
                  + "' is not a certificate subject (RFC 2253, e.g. CN=admin or CN=ops,O=Example; separate them with ';')");
        else
            a.principals.push_back("User:" + subject);
    }
    if (!a.principals.empty() && !takesCertificate(a.mutationAuth))
        error("admin.ssl.principals is set but admin.mutation.auth (" + std::string(mutationAuthName(a.mutationAuth))
              + ") takes no client certificate; set admin.mutation.auth to certificate, token-or-certificate or "
                "token-and-certificate, or remove admin.ssl.principals");
}

void ConfigLoader::validateDataDir()
{
    const std::string &dir = m_outcome.config.dataDir;
    if (dir.empty()) {
        error("data.dir must not be empty");
        return;
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        error("data.dir: cannot create " + dir + ": " + ec.message());
        return;
    }
    if (!std::filesystem::is_directory(dir)) {
        error("data.dir: " + dir + " exists and is not a directory");
        return;
    }
    // access() does not see read-only mounts; writing a probe file does.
    const std::string probe = dir + "/.skiff-write-probe";
    std::FILE *f = std::fopen(probe.c_str(), "w");
    if (!f || std::fclose(f) != 0) {
        error("data.dir: " + dir + " is not writable by this user (uid " + std::to_string(getuid())
              + "); fix its permissions or choose another data.dir");
        return;
    }
    std::filesystem::remove(probe, ec);
}

std::string ConfigLoader::helpText()
{
    std::string text =
        "Usage: skiffd [--config FILE] [--KEY VALUE ...]\n"
        "Skiff node: a Kafka-compatible broker whose nodes form a cluster through Raft.\n\n"
        "  --config FILE   read a TOML config file; flags override its keys\n"
        "  --help          show this help\n"
        "  --version       show version, git hash and build time\n\n"
        "Every config key is also a flag (default in brackets):\n";
    for (const auto &k : configKeys()) {
        std::string flag = "  " + flagForKey(k.name);
        flag.resize(std::max<size_t>(flag.size() + 1, 36), ' ');
        text += flag + k.help + " [" + k.defaultValue + "]\n";
    }
    text += "\nPer listener, Kafka's listener.name.<listener>.<key> (the listener's name in lower case) overrides\n"
            "<key> for that listener alone: the ssl.* keys for an SSL or SASL_SSL listener, a mechanism's\n"
            "sasl.jaas.config for a SASL one. These keys:\n";
    for (const std::string &key : listenerOverridableKeys())
        text += "  " + flagForKey(std::string(kListenerKeyPrefix) + "<listener>." + key) + "\n";
    return text;
}

} // namespace skiff::core
