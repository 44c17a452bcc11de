#include "auth/SaslClient.h"

#include "auth/ScramClient.h"

#include <openssl/crypto.h>

namespace skiff::auth {

namespace {

// RFC 4616: one message, authzid NUL authcid NUL passwd; the server's empty answer completes it.
class PlainClient final : public SaslClient {
public:
    PlainClient(std::string user, std::string password) : m_user(std::move(user)), m_password(std::move(password)) {}
    ~PlainClient() override
    {
        if (!m_password.empty())
            OPENSSL_cleanse(m_password.data(), m_password.size());
    }

    Result<std::string> start() override
    {
        if (m_sent)
            return failedPrecondition("PLAIN exchange has already started");
        m_sent = true;
        return std::string(1, '\0') + m_user + '\0' + m_password;
    }
    Result<std::string> step(std::string_view) override
    {
        if (!m_sent || m_complete)
            return failedPrecondition("PLAIN expects one answer to its one message");
        m_complete = true;
        return std::string();
    }
    bool complete() const override { return m_complete; }
    std::string_view mechanism() const override { return "PLAIN"; }

private:
    const std::string m_user;
    std::string m_password;
    bool m_sent = false;
    bool m_complete = false;
};

} // namespace

std::unique_ptr<SaslClient> makeSaslClient(std::string_view mechanism, std::string user, std::string password)
{
    if (mechanism == "PLAIN")
        return std::make_unique<PlainClient>(std::move(user), std::move(password));
    if (const std::optional<metadata::ScramMechanism> scram = metadata::scramMechanismFromName(mechanism))
        return std::make_unique<ScramClient>(*scram, std::move(user), std::move(password));
    return nullptr;
}

} // namespace skiff::auth
