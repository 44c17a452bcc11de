#include "core/AdminAccess.h"

namespace skiff::core {

Result<MutationAuth> parseMutationAuth(const std::string &text)
{
    for (MutationAuth auth : {MutationAuth::Token, MutationAuth::Certificate, MutationAuth::TokenOrCertificate,
                              MutationAuth::TokenAndCertificate})
        if (text == mutationAuthName(auth))
            return auth;
    return invalidArgument("admin.mutation.auth must be token, certificate, token-or-certificate or token-and-certificate, got '"
                           + text + "'");
}

const char *mutationAuthName(MutationAuth auth)
{
    switch (auth) {
    case MutationAuth::Open: return "open";
    case MutationAuth::Token: return "token";
    case MutationAuth::Certificate: return "certificate";
    case MutationAuth::TokenOrCertificate: return "token-or-certificate";
    case MutationAuth::TokenAndCertificate: return "token-and-certificate";
    }
    return "unknown";
}

bool takesToken(MutationAuth auth)
{
    return auth == MutationAuth::Token || auth == MutationAuth::TokenOrCertificate || auth == MutationAuth::TokenAndCertificate;
}

bool takesCertificate(MutationAuth auth)
{
    return auth == MutationAuth::Certificate || auth == MutationAuth::TokenOrCertificate
           || auth == MutationAuth::TokenAndCertificate;
}

} // namespace skiff::core
