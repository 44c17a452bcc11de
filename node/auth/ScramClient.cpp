#include "auth/ScramClient.h"

#include "auth/ScramFormulas.h"
#include "auth/ScramMessages.h"
#include "auth/ScramServer.h"
#include "common/SecretCompare.h"

#include <openssl/crypto.h>

#include <charconv>
#include <exception>

namespace skiff::auth {

using metadata::ScramMechanism;

namespace {

// No channel binding and no authorization id, as Kafka's client: "n,,".
constexpr std::string_view kGs2Header = "n,,";

void cleanse(std::string &secret)
{
    if (!secret.empty())
        OPENSSL_cleanse(secret.data(), secret.size());
    secret.clear();
}

Status malformedServerFirst(const std::string &what)
{
    return invalidArgument("invalid SCRAM server-first message: " + what);
}

} // namespace

ScramClient::ScramClient(ScramMechanism mechanism, std::string user, std::string password)
    : ScramClient(mechanism, std::move(user), std::move(password), &ScramServer::randomNonce)
{
}

ScramClient::ScramClient(ScramMechanism mechanism, std::string user, std::string password, NonceGenerator clientNonce)
    : m_mechanism(mechanism), m_user(std::move(user)), m_password(std::move(password)), m_clientNonce(std::move(clientNonce))
{
}

ScramClient::~ScramClient()
{
    cleanse(m_password);
    cleanse(m_serverSignature);
}

std::string_view ScramClient::mechanism() const { return metadata::scramMechanismName(m_mechanism); }

Result<std::string> ScramClient::start()
{
    if (m_state != State::Initial)
        return fail(failedPrecondition(std::string(mechanism()) + " exchange has already started"));
    m_nonce = m_clientNonce();
    if (!isPrintableNonce(m_nonce))
        return fail(internalError("SCRAM client nonce is not printable ASCII"));
    m_clientFirstBare = "n=" + encodeSaslName(m_user) + ",r=" + m_nonce;
    m_state = State::ExpectServerFirst;
    return std::string(kGs2Header) + m_clientFirstBare;
}

Result<std::string> ScramClient::step(std::string_view serverMessage)
{
    try {
        switch (m_state) {
        case State::ExpectServerFirst:
            return serverFirst(serverMessage);
        case State::ExpectServerFinal:
            return serverFinal(serverMessage);
        case State::Initial:
            return fail(failedPrecondition(std::string(mechanism()) + " exchange has not started"));
        case State::Complete:
            return fail(failedPrecondition(std::string(mechanism()) + " exchange is already complete"));
        case State::Failed:
            break;
        }
        return fail(failedPrecondition(std::string(mechanism()) + " exchange has already failed"));
    } catch (const std::exception &e) {
        return fail(internalError(std::string(mechanism()) + " exchange failed: " + e.what()));
    }
}

Result<std::string> ScramClient::serverFirst(std::string_view message)
{
    // server-first-message: [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions]
    const std::vector<std::string_view> attributes = splitAttributes(message);
    if (startsWith(attributes[0], "e="))
        return fail(invalidArgument("the server refused: " + std::string(attributes[0].substr(2))));
    if (startsWith(attributes[0], "m="))
        return fail(malformedServerFirst("it carries a mandatory extension (m=)"));
    if (attributes.size() < 3 || !startsWith(attributes[0], "r=") || !startsWith(attributes[1], "s=")
        || !startsWith(attributes[2], "i="))
        return fail(malformedServerFirst("it is not r=<nonce>,s=<salt>,i=<iterations>"));
    const std::string_view nonce = attributes[0].substr(2);
    // The server's nonce extends ours: anything else is a replay or another exchange.
    if (!isPrintableNonce(nonce) || nonce.size() <= m_nonce.size() || !startsWith(nonce, m_nonce))
        return fail(malformedServerFirst("its nonce (r=) does not extend the client's"));
    const std::optional<std::string> salt = base64Decode(attributes[1].substr(2));
    if (!salt || salt->empty())
        return fail(malformedServerFirst("the salt (s=) is not base64"));
    const std::string_view iterationText = attributes[2].substr(2);
    int32_t iterations = 0;
    const auto [end, ec] = std::from_chars(iterationText.data(), iterationText.data() + iterationText.size(), iterations);
    if (ec != std::errc() || end != iterationText.data() + iterationText.size())
        return fail(malformedServerFirst("the iteration count (i=) is not a number"));
    // As Kafka's ScramSaslClient: fewer than the mechanism's minimum weakens the credential.
    if (iterations < metadata::kMinScramIterations || iterations > metadata::kMaxScramIterations)
        return fail(malformedServerFirst("the iteration count " + std::to_string(iterations) + " is outside "
                                         + std::to_string(metadata::kMinScramIterations) + "-"
                                         + std::to_string(metadata::kMaxScramIterations)));

    // RFC 5802 section 3: ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage); the server
    // proves itself with HMAC(ServerKey, AuthMessage). StoredKey and ServerKey are the
    // credential the server holds, derived here as skiffctl derives it.
    std::string salted = saltedPassword(m_mechanism, m_password, *salt, iterations);
    cleanse(m_password);   // not needed again: a re-authentication makes a new client
    std::string clientKey = hmac(m_mechanism, salted, "Client Key");
    metadata::ScramCredential credential = credentialFromSaltedPassword(m_mechanism, salted, *salt, iterations);
    cleanse(salted);
    const std::string withoutProof = "c=" + base64Encode(kGs2Header) + ",r=" + std::string(nonce);
    const std::string authMessage = m_clientFirstBare + "," + std::string(message) + "," + withoutProof;
    std::string proof = hmac(m_mechanism, credential.storedKey, authMessage);
    for (size_t i = 0; i < proof.size(); ++i)
        proof[i] = char(proof[i] ^ clientKey[i]);
    cleanse(clientKey);
    m_serverSignature = hmac(m_mechanism, credential.serverKey, authMessage);
    cleanse(credential.storedKey);
    cleanse(credential.serverKey);
    const std::string clientFinal = withoutProof + ",p=" + base64Encode(proof);
    cleanse(proof);
    m_state = State::ExpectServerFinal;
    return clientFinal;
}

Result<std::string> ScramClient::serverFinal(std::string_view message)
{
    // server-final-message: ("e=" server-error-value / "v=" verifier) ["," extensions]
    const std::string_view first = splitAttributes(message)[0];
    if (startsWith(first, "e="))
        return fail(invalidArgument("the server refused: " + std::string(first.substr(2))));
    const std::optional<std::string> verifier = startsWith(first, "v=") ? base64Decode(first.substr(2)) : std::nullopt;
    if (!verifier)
        return fail(invalidArgument("invalid SCRAM server-final message: the verifier (v=) is missing or not base64"));
    if (!secretEquals(*verifier, m_serverSignature))
        return fail(invalidArgument("the server's SCRAM signature is wrong: it does not hold this user's credential"));
    cleanse(m_serverSignature);
    m_state = State::Complete;
    return std::string();
}

Status ScramClient::fail(Status status)
{
    m_state = State::Failed;
    cleanse(m_password);
    cleanse(m_serverSignature);
    return status;
}

} // namespace skiff::auth
