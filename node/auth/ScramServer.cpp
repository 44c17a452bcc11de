#include "auth/ScramServer.h"

#include "auth/SaslFailure.h"
#include "auth/ScramFormulas.h"
#include "auth/ScramMessages.h"
#include "common/SecretCompare.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <vector>

namespace skiff::auth {

using metadata::ScramCredential;
using metadata::ScramMechanism;

namespace {

struct Extension {
    std::string_view name;
    std::string_view value;
};

// An extension attribute as Kafka's ScramMessages accepts it: letters "=" a non-empty value.
std::optional<Extension> parseExtension(std::string_view attribute)
{
    const size_t equals = attribute.find('=');
    if (equals == 0 || equals == std::string_view::npos || equals + 1 == attribute.size())
        return std::nullopt;
    for (size_t i = 0; i < equals; ++i) {
        const char c = attribute[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return std::nullopt;
    }
    const std::string_view value = attribute.substr(equals + 1);
    if (value.find('\0') != std::string_view::npos)
        return std::nullopt;
    return Extension{attribute.substr(0, equals), value};
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

// A credential the image should never hold (bounds are Kafka's); treated as no credential.
bool usableCredential(ScramMechanism mechanism, const ScramCredential &c)
{
    const size_t hashBytes = metadata::scramHashBytes(mechanism);
    return c.iterations >= metadata::kMinScramIterations && c.iterations <= metadata::kMaxScramIterations
           && !c.salt.empty() && c.storedKey.size() == hashBytes && c.serverKey.size() == hashBytes;
}

void cleanse(std::string &secret)
{
    if (!secret.empty())
        OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

Status malformedFirst(const std::string &what)
{
    return invalidArgument("invalid SCRAM client-first message: " + what);
}

Status malformedFinal(const std::string &what)
{
    return invalidArgument("invalid SCRAM client-final message: " + what);
}

} // namespace

ScramServer::ScramServer(ScramMechanism mechanism, CredentialLookup lookup)
    : ScramServer(mechanism, std::move(lookup), &ScramServer::randomNonce)
{
}

ScramServer::ScramServer(ScramMechanism mechanism, CredentialLookup lookup, NonceGenerator serverNonce)
    : m_mechanism(mechanism), m_lookup(std::move(lookup)), m_serverNonce(std::move(serverNonce))
{
}

ScramServer::~ScramServer() { forgetExchange(); }

std::string_view ScramServer::mechanism() const { return metadata::scramMechanismName(m_mechanism); }

std::string ScramServer::randomNonce() { return base64Encode(randomBytes(24)); }

Result<std::string> ScramServer::step(std::string_view clientMessage)
{
    try {
        switch (m_state) {
        case State::ExpectClientFirst:
            return clientFirst(clientMessage);
        case State::ExpectClientFinal:
            return clientFinal(clientMessage);
        case State::Complete:
            return fail(failedPrecondition(std::string(mechanism())
                                           + " exchange is already complete: no further client message is expected"));
        case State::Failed:
            break;
        }
        return fail(failedPrecondition(std::string(mechanism()) + " exchange has already failed"));
    } catch (const std::exception &e) {
        // OpenSSL or the credential lookup failed (allocation); what() names the call, no secret.
        return fail(internalError(std::string(mechanism()) + " exchange failed: " + e.what()));
    }
}

Result<std::string> ScramServer::clientFirst(std::string_view message)
{
    // gs2-header: gs2-cbind-flag "," [ "a=" saslname ] ","
    if (startsWith(message, "p="))
        return fail(malformedFirst("the client requests channel binding (gs2 header p=), which Skiff does not "
                                   "offer; a client without channel binding sends n or y"));
    if (message.size() < 2 || (message[0] != 'n' && message[0] != 'y') || message[1] != ',')
        return fail(malformedFirst("it does not start with a gs2 header \"n,\" or \"y,\""));
    const size_t authzEnd = message.find(',', 2);
    if (authzEnd == std::string_view::npos)
        return fail(malformedFirst("the gs2 header does not end with ','"));
    std::string authzid;
    if (const std::string_view a = message.substr(2, authzEnd - 2); !a.empty()) {
        const std::optional<std::string> name = startsWith(a, "a=") ? decodeSaslName(a.substr(2)) : std::nullopt;
        if (!name)
            return fail(malformedFirst("the authorization id in the gs2 header is not a=<saslname> (with ',' as =2C "
                                       "and '=' as =3D)"));
        authzid = *name;
    }
    const std::string_view gs2Header = message.substr(0, authzEnd + 1);
    const std::string_view bare = message.substr(authzEnd + 1);

    // client-first-bare: [reserved-mext ","] username "," nonce ["," extensions]
    const std::vector<std::string_view> attributes = splitAttributes(bare);
    if (startsWith(attributes[0], "m="))
        return fail(malformedFirst("it carries a mandatory extension (m=), which Skiff does not support"));
    if (!startsWith(attributes[0], "n="))
        return fail(malformedFirst("the user name (n=) is missing"));
    const std::optional<std::string> user = decodeSaslName(attributes[0].substr(2));
    if (!user)
        return fail(malformedFirst("the user name (n=) is empty or has an '=' that is not =2C or =3D"));
    if (attributes.size() < 2 || !startsWith(attributes[1], "r="))
        return fail(malformedFirst("the nonce (r=) is missing"));
    const std::string_view clientNonce = attributes[1].substr(2);
    if (!isPrintableNonce(clientNonce))
        return fail(malformedFirst("the nonce (r=) is empty or not printable ASCII"));
    for (size_t i = 2; i < attributes.size(); ++i) {
        const std::optional<Extension> extension = parseExtension(attributes[i]);
        if (!extension)
            return fail(malformedFirst("attribute " + std::to_string(i + 1) + " after the gs2 header is not an "
                                       "extension name=value"));
        // Kafka's token authentication (KIP-48) asks for a delegation token's credential.
        if (extension->name == "tokenauth" && equalsIgnoringCase(extension->value, "true"))
            return fail(invalidArgument("SCRAM delegation token authentication (tokenauth) is not supported: Skiff "
                                        "has no delegation tokens"));
        // Other extensions are ignored, as Kafka does.
    }

    // As Kafka's ScramSaslServer: the user's credential first (an unknown user fails here, with
    // the message of a wrong password), then the authorization id.
    std::optional<ScramCredential> credential = m_lookup ? m_lookup(*user, m_mechanism) : std::nullopt;
    if (!credential || !usableCredential(m_mechanism, *credential))
        return fail(invalidArgument(invalidCredentialsMessage(mechanism())));
    if (!authzid.empty() && authzid != *user)
        return fail(invalidArgument(differentAuthorizationIdMessage()));

    const std::string serverNonce = m_serverNonce();
    if (!isPrintableNonce(serverNonce))
        return fail(internalError("SCRAM server nonce is not printable ASCII"));
    m_claimedUser = *user;
    m_gs2Header = std::string(gs2Header);
    m_clientFirstBare = std::string(bare);
    m_nonce = std::string(clientNonce) + serverNonce;
    m_serverFirst =
        "r=" + m_nonce + ",s=" + base64Encode(credential->salt) + ",i=" + std::to_string(credential->iterations);
    m_credential = std::move(credential);
    m_state = State::ExpectClientFinal;
    return m_serverFirst;
}

Result<std::string> ScramServer::clientFinal(std::string_view message)
{
    // client-final-message: channel-binding "," nonce ["," extensions] "," proof
    const size_t proofAt = message.rfind(",p=");
    if (proofAt == std::string_view::npos)
        return fail(malformedFinal("the proof (p=) is missing or not the last attribute"));
    const std::string_view withoutProof = message.substr(0, proofAt);
    const std::vector<std::string_view> attributes = splitAttributes(withoutProof);
    if (!startsWith(attributes[0], "c="))
        return fail(malformedFinal("the channel binding (c=) is missing"));
    const std::optional<std::string> channelBinding = base64Decode(attributes[0].substr(2));
    if (!channelBinding)
        return fail(malformedFinal("the channel binding (c=) is not base64"));
    if (*channelBinding != m_gs2Header)
        return fail(malformedFinal("the channel binding (c=) is not the gs2 header of the client-first message"));
    if (attributes.size() < 2 || !startsWith(attributes[1], "r="))
        return fail(malformedFinal("the nonce (r=) is missing"));
    // Kafka's ScramSaslServer takes a nonce that ends with the exchange's: librdkafka before 2.2
    // sends the client nonce twice (its own, then the server's combined one). The proof signs
    // the message as sent, so nothing else may change.
    if (!attributes[1].substr(2).ends_with(m_nonce))
        return fail(malformedFinal("the nonce (r=) is not the one of this exchange"));
    for (size_t i = 2; i < attributes.size(); ++i)
        if (!parseExtension(attributes[i]))
            return fail(malformedFinal("attribute " + std::to_string(i + 1) + " is not an extension name=value"));
    std::optional<std::string> proof = base64Decode(message.substr(proofAt + 3));
    const size_t hashBytes = metadata::scramHashBytes(m_mechanism);
    if (!proof)
        return fail(malformedFinal("the proof (p=) is not base64"));
    if (proof->size() != hashBytes)
        return fail(malformedFinal("the proof (p=) has " + std::to_string(proof->size()) + " bytes where "
                                   + std::string(mechanism()) + " has " + std::to_string(hashBytes)));

    // RFC 5802 section 3: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage), and
    // H(ClientKey) must be the StoredKey.
    const std::string authMessage = m_clientFirstBare + "," + m_serverFirst + "," + std::string(withoutProof);
    std::string clientKey = hmac(m_mechanism, m_credential->storedKey, authMessage);
    for (size_t i = 0; i < hashBytes; ++i)
        clientKey[i] = char(clientKey[i] ^ (*proof)[i]);
    cleanse(*proof);
    const bool proven = secretEquals(hash(m_mechanism, clientKey), m_credential->storedKey);
    cleanse(clientKey);
    if (!proven)
        return fail(invalidArgument(invalidCredentialsMessage(mechanism())));

    const std::string serverFinal = "v=" + base64Encode(hmac(m_mechanism, m_credential->serverKey, authMessage));
    m_user = m_claimedUser;
    m_state = State::Complete;
    forgetExchange();
    return serverFinal;
}

Status ScramServer::fail(Status status)
{
    m_state = State::Failed;
    m_user.clear();
    forgetExchange();
    return status;
}

void ScramServer::forgetExchange()
{
    if (m_credential) {
        cleanse(m_credential->storedKey);
        cleanse(m_credential->serverKey);
        m_credential.reset();
    }
    m_claimedUser.clear();
    m_gs2Header.clear();
    m_clientFirstBare.clear();
    m_serverFirst.clear();
    m_nonce.clear();
}

} // namespace skiff::auth
