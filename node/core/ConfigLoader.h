#pragma once

#include "core/ConfigKeys.h"
#include "core/JaasConfig.h"
#include "core/NodeConfig.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace skiff::core {

// Turns skiffd's arguments into a NodeConfig. Every problem is reported as one line an operator
// can act on ("kafka.advertise: 0.0.0.0 cannot be given to clients; set the address clients
// should connect to"), all of them at once, so that one run shows everything to fix.
class ConfigLoader {
public:
    enum class Action { Run, PrintHelp, PrintVersion };

    struct Outcome {
        Action action = Action::Run;
        NodeConfig config;
        std::vector<std::string> errors;   // non-empty: refuse to start, exit code 2
    };

    static Outcome load(const std::vector<std::string> &args);
    static std::string helpText();

private:
    explicit ConfigLoader(Outcome &outcome) : m_outcome(outcome) {}
    void loadFile(const std::string &path);
    void applyFlags(const std::vector<std::string> &args);
    void setValue(const std::string &key, const std::string &value, const std::string &origin);
    void validate();
    void validateKafkaListeners();
    void validateListenerTls();
    // The TLS files of `listener` (upper case; empty: the node-wide ssl.* keys alone).
    net::TlsFiles tlsFiles(const std::string &listener);
    static std::string listenerKey(const std::string &listener, const std::string &key);
    // The listener a listener.name.<listener>.* key names, or null after saying what is wrong
    // with the name (not lower case, no such listener).
    const KafkaListener *listenerOfKey(const std::string &key, const ListenerKey &family);
    void validateSasl();
    // Kafka's JAAS lines (sasl.jaas.config, listener.name.<l>.<mechanism>.sasl.jaas.config), each
    // checked. The key of the one meant as the followers' login on the inter-broker listener, if
    // any, with that login (none when it was refused: the error is said already).
    struct JaasChoice {
        std::string key;
        std::optional<JaasLogin> login;
    };
    std::optional<JaasChoice> jaasInterBrokerLogin(const std::string &mechanism);
    std::optional<JaasLogin> checkedJaas(const std::string &key, const std::string &mechanism);
    void validateAuthorizer();
    void validateAdminAccess();
    void validateDataDir();
    void error(std::string line) { m_outcome.errors.push_back(std::move(line)); }

    Outcome &m_outcome;
    std::map<std::string, std::string> m_values;   // key -> value as text, defaults first
    std::set<std::string> m_given;                 // keys the file or a flag set
};

} // namespace skiff::core
