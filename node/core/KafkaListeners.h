#pragma once
// Kafka's named listeners: each a name, the address it binds, the address given to clients who
// came in on it, and its security protocol. Metadata answers a client with every broker's
// endpoint of the listener that client used, so internal and external clients each get
// addresses they can reach. Written as Kafka writes them:
//   listeners = "CLIENT://0.0.0.0:9092,INTERNAL://10.0.0.1:9192"
//   advertised.listeners = "CLIENT://broker1.example.com:9092"   (default: the bind address)
//   listener.security.protocol.map = "CLIENT:SSL,INTERNAL:PLAINTEXT"
//   inter.broker.listener.name = "INTERNAL"   (what followers fetch from; default: the first;
//                                             over TLS with the node's certificate if it is SSL)
// kafka.listen / kafka.advertise stay a shorthand for one PLAINTEXT listener named PLAINTEXT.

#include "common/Status.h"
#include "core/HostPort.h"

#include <string>
#include <vector>

namespace skiff::core {

enum class SecurityProtocol { Plaintext, Ssl, SaslPlaintext, SaslSsl };

const char *securityProtocolName(SecurityProtocol protocol);   // Kafka's: "PLAINTEXT", "SSL", ...
bool usesTls(SecurityProtocol protocol);
bool usesSasl(SecurityProtocol protocol);
// A comma-separated list's items, spaces around them trimmed, empty ones left out.
std::vector<std::string> splitList(const std::string &text);
// The SASL mechanisms skiffd serves (node/auth implements each), as sasl.enabled.mechanisms names them.
const std::vector<std::string> &saslMechanismNames();

struct KafkaListener {
    std::string name;                 // upper case, as Kafka's listener names
    HostPort bind;
    HostPort advertised;
    SecurityProtocol protocol = SecurityProtocol::Plaintext;
    friend bool operator==(const KafkaListener &, const KafkaListener &) = default;
};

struct ListenerKeys {
    std::string listeners;            // empty: the kafka.listen shorthand
    std::string advertisedListeners;
    std::string securityProtocolMap;  // empty: Kafka's default map (each protocol's own name)
    std::string interBrokerListenerName;
};

// The listeners the keys describe, the inter-broker one first. Every problem found is appended
// to `errors` as one line naming the key, and nothing is returned then.
std::vector<KafkaListener> parseKafkaListeners(const ListenerKeys &keys, std::vector<std::string> &errors);

} // namespace skiff::core
