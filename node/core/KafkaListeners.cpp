#include "core/KafkaListeners.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

namespace skiff::core {
namespace {

constexpr std::pair<const char *, SecurityProtocol> kProtocols[] = {
    {"PLAINTEXT", SecurityProtocol::Plaintext},
    {"SSL", SecurityProtocol::Ssl},
    {"SASL_PLAINTEXT", SecurityProtocol::SaslPlaintext},
    {"SASL_SSL", SecurityProtocol::SaslSsl},
};

std::optional<SecurityProtocol> protocolNamed(const std::string &name)
{
    for (const auto &[text, protocol] : kProtocols)
        if (name == text)
            return protocol;
    return std::nullopt;
}


bool isListenerName(const std::string &name)
{
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
}

// "NAME://host:port" items of `key`, in order; errors name the key and the item.
std::vector<std::pair<std::string, HostPort>> parseEndpoints(const char *key, const std::string &text,
                                                             std::vector<std::string> &errors)
{
    std::vector<std::pair<std::string, HostPort>> out;
    std::set<std::string> names;
    for (const std::string &item : splitList(text)) {
        const auto scheme = item.find("://");
        const std::string name = scheme == std::string::npos ? std::string() : item.substr(0, scheme);
        if (!isListenerName(name)) {
            errors.push_back(std::string(key) + ": '" + item
                             + "' is not NAME://host:port (NAME in capitals, digits and '_', e.g. SSL://0.0.0.0:9093)");
            continue;
        }
        auto address = HostPort::parse(item.substr(scheme + 3));
        if (!address.isOk()) {
            errors.push_back(std::string(key) + ": listener " + name + ": " + address.status().message());
            continue;
        }
        if (!names.insert(name).second) {
            errors.push_back(std::string(key) + ": listener " + name + " is listed twice");
            continue;
        }
        out.emplace_back(name, address.value());
    }
    return out;
}

} // namespace

std::vector<std::string> splitList(const std::string &text)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(',', start);
        if (end == std::string::npos)
            end = text.size();
        std::string item = text.substr(start, end - start);
        item.erase(0, item.find_first_not_of(" \t"));
        item.erase(item.find_last_not_of(" \t") + 1);
        if (!item.empty())
            out.push_back(item);
        start = end + 1;
    }
    return out;
}

const char *securityProtocolName(SecurityProtocol protocol)
{
    for (const auto &[text, p] : kProtocols)
        if (p == protocol)
            return text;
    return "?";
}

bool usesSasl(SecurityProtocol protocol)
{
    return protocol == SecurityProtocol::SaslPlaintext || protocol == SecurityProtocol::SaslSsl;
}

const std::vector<std::string> &saslMechanismNames()
{
    static const std::vector<std::string> names{"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"};
    return names;
}

bool usesTls(SecurityProtocol protocol)
{
    return protocol == SecurityProtocol::Ssl || protocol == SecurityProtocol::SaslSsl;
}

std::vector<KafkaListener> parseKafkaListeners(const ListenerKeys &keys, std::vector<std::string> &errors)
{
    const size_t errorsBefore = errors.size();
    const auto bound = parseEndpoints("listeners", keys.listeners, errors);
    if (bound.empty() && errors.size() == errorsBefore)
        errors.push_back("listeners: no listener given (e.g. PLAINTEXT://127.0.0.1:9092)");

    std::map<std::string, SecurityProtocol> protocolOf;
    for (const std::string &entry : splitList(keys.securityProtocolMap)) {
        const auto colon = entry.find(':');
        const std::string name = colon == std::string::npos ? entry : entry.substr(0, colon);
        const auto protocol = colon == std::string::npos ? std::nullopt : protocolNamed(entry.substr(colon + 1));
        if (!isListenerName(name) || !protocol) {
            errors.push_back("listener.security.protocol.map: '" + entry
                             + "' is not NAME:PROTOCOL (PROTOCOL one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL)");
            continue;
        }
        protocolOf[name] = *protocol;
    }

    std::vector<KafkaListener> listeners;
    for (const auto &[name, address] : bound) {
        KafkaListener l{name, address, address, SecurityProtocol::Plaintext};
        if (auto mapped = protocolOf.find(name); mapped != protocolOf.end())
            l.protocol = mapped->second;
        else if (auto own = protocolNamed(name))
            l.protocol = *own;
        else
            errors.push_back("listener.security.protocol.map: no entry for listener " + name + " (add " + name
                             + ":PLAINTEXT or " + name + ":SSL)");
        listeners.push_back(l);
    }

    for (const auto &[name, address] : parseEndpoints("advertised.listeners", keys.advertisedListeners, errors)) {
        auto it = std::find_if(listeners.begin(), listeners.end(), [&](const KafkaListener &l) { return l.name == name; });
        if (it == listeners.end()) {
            errors.push_back("advertised.listeners: " + name + " is not one of listeners");
            continue;
        }
        if (address.isWildcard()) {
            errors.push_back("advertised.listeners: " + name + " advertises " + address.toString()
                             + ", which clients cannot connect to; give the address clients should use");
            continue;
        }
        it->advertised = address;
    }
    for (const KafkaListener &l : listeners)
        if (l.advertised.isWildcard())
            errors.push_back("advertised.listeners: listener " + l.name + " binds " + l.bind.host
                             + ", which clients cannot connect to; advertise " + l.name + "://<address clients use>:"
                             + std::to_string(l.bind.port));

    if (!keys.interBrokerListenerName.empty()) {
        auto it = std::find_if(listeners.begin(), listeners.end(),
                               [&](const KafkaListener &l) { return l.name == keys.interBrokerListenerName; });
        if (it == listeners.end() && !listeners.empty())
            errors.push_back("inter.broker.listener.name: " + keys.interBrokerListenerName + " is not one of listeners");
        else if (it != listeners.end())
            std::rotate(listeners.begin(), it, it + 1);
    }
    if (errors.size() != errorsBefore)
        return {};
    return listeners;
}

} // namespace skiff::core
