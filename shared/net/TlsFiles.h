#pragma once
// The TLS files and choices of a server, as the configuration names them (ssl.* keys). No Qt
// Network here: the configuration holds these; net/TlsSettings.h turns them into a live one.

#include "common/Status.h"

#include <string>

namespace skiff::net {

enum class ClientAuth { None, Requested, Required };

struct TlsFiles {
    std::string certificate;   // PEM: the node's certificate, then its chain
    std::string key;           // PEM private key (RSA or EC), optionally encrypted
    std::string keyPassword;   // empty: the key is not encrypted
    std::string ca;            // PEM CA bundle that client certificates must chain to
    ClientAuth clientAuth = ClientAuth::None;
    bool tls13Only = false;    // ssl.enabled.protocols = TLSv1.3; otherwise TLS 1.2 and 1.3
    std::string cipherSuites;  // OpenSSL cipher list for TLS 1.2; empty: Qt's defaults
    friend bool operator==(const TlsFiles &, const TlsFiles &) = default;
};

// none, requested, required; an error names `key` (ssl.client.auth, admin.ssl.client.auth).
Result<ClientAuth> parseClientAuth(const std::string &text, const std::string &key = "ssl.client.auth");

} // namespace skiff::net
