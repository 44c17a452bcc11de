#pragma once
// Every configuration key of skiffd: its name in the TOML file (dotted, as Kafka names its
// settings; `[log] retention.ms = 1` and `log.retention.ms = 1` are the same key), its flag
// (the name with '.' and '_' turned into '-'), its type, its default and one line of help.
// README's configuration table and `skiffd --help` are both checked against this list.

#include <optional>
#include <string>
#include <vector>

namespace skiff::core {

enum class ConfigType { Int, Bool, String, Address, Peers };

struct ConfigKey {
    const char *name;
    ConfigType type;
    const char *defaultValue;   // as it would be written in TOML, without quotes for strings
    const char *help;
};

const std::vector<ConfigKey> &configKeys();
// A key of the table, or of the listener.name.<listener>.* family (the global key it overrides).
const ConfigKey *findConfigKey(const std::string &name);
std::string flagForKey(const std::string &name);   // "kafka.listen" -> "--kafka-listen"
const char *configTypeName(ConfigType type);

// Kafka's per-listener keys: listener.name.<listener>.<key>, the listener's name in lower case
// (listener.name.client.ssl.key.location), override <key> for that listener alone. A family, not
// table rows: any listener name is accepted here (ConfigLoader checks it is one of listeners),
// but only the keys of listenerOverridableKeys() after it, so a typo is still an unknown key.
inline constexpr const char *kListenerKeyPrefix = "listener.name.";
const std::vector<std::string> &listenerOverridableKeys();   // "ssl.certificate.location", ...
// listener.name.<listener>.<mechanism>.sasl.jaas.config (Kafka's): the family keys that are a
// mechanism's JAAS login, all overriding sasl.jaas.config; "scram-sha-512.sasl.jaas.config" ->
// "SCRAM-SHA-512".
inline constexpr const char *kJaasKey = "sasl.jaas.config";
bool isJaasKey(const std::string &familyKey);
std::string jaasKeyMechanism(const std::string &familyKey);
struct ListenerKey {
    std::string listener;   // as written in the key (Kafka's: lower case)
    std::string key;        // the global key it overrides
};
std::optional<ListenerKey> parseListenerKey(const std::string &name);
// "--listener-name-client-ssl-key-location" -> "listener.name.client.ssl.key.location" (a
// listener name has no '-', so each '-' of it was a '_').
std::optional<std::string> listenerKeyForFlag(const std::string &flag);

} // namespace skiff::core
