#pragma once
// Every configuration key of skiffd: its name in the TOML file (dotted, as Kafka names its
// settings; `[log] retention.ms = 1` and `log.retention.ms = 1` are the same key), its flag
// (the name with '.' and '_' turned into '-'), its type, its default and one line of help.
// README's configuration table and `skiffd --help` are both checked against this list.

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
const ConfigKey *findConfigKey(const std::string &name);
std::string flagForKey(const std::string &name);   // "kafka.listen" -> "--kafka-listen"
const char *configTypeName(ConfigType type);

} // namespace skiff::core
