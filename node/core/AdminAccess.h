#pragma once
// Who may use the node's admin socket, as the admin.* keys say: whether it speaks TLS
// (admin.ssl.enable, with the node's ssl.* certificate and key), whether it asks clients for a
// certificate (admin.ssl.client.auth), and what a mutating request must carry
// (admin.mutation.auth, admin.ssl.principals). Reads never need more than a connection. The
// configuration checks the combinations (ConfigLoader); the admin socket enforces them
// (admin/AdminMutationGate.h).

#include "common/Status.h"
#include "net/TlsFiles.h"

#include <string>
#include <vector>

namespace skiff::core {

enum class MutationAuth {
    Open,                  // nothing: admin.mutation.auth unset and no admin.token
    Token,                 // the node's admin.token
    Certificate,           // a verified client certificate (of a subject admin.ssl.principals lists, if set)
    TokenOrCertificate,    // either
    TokenAndCertificate,   // both
};

// "token", "certificate", "token-or-certificate", "token-and-certificate".
Result<MutationAuth> parseMutationAuth(const std::string &text);
const char *mutationAuthName(MutationAuth auth);   // "open" for Open
bool takesToken(MutationAuth auth);
bool takesCertificate(MutationAuth auth);

struct AdminAccess {
    bool tls = false;                                     // admin.ssl.enable
    net::ClientAuth clientAuth = net::ClientAuth::None;   // admin.ssl.client.auth
    MutationAuth mutationAuth = MutationAuth::Open;       // admin.mutation.auth, or what admin.token implies
    // admin.ssl.principals as Kafka names a certificate's client ("User:CN=admin,O=Example"; see
    // auth/CertificatePrincipal.h); empty: any certificate that chains to ssl.ca.location.
    std::vector<std::string> principals;
};

} // namespace skiff::core
