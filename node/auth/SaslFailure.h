#pragma once
// Messages shared by the SASL mechanisms (private to node/auth).

#include <string>
#include <string_view>

namespace skiff::auth {

// Kafka's answer to an unknown user and to a wrong password alike (SaslServerAuthenticator), so
// that the answer does not tell which user names exist.
inline std::string invalidCredentialsMessage(std::string_view mechanism)
{
    return "Authentication failed during authentication due to invalid credentials with SASL mechanism "
           + std::string(mechanism);
}

// Kafka's answer to an authorization id other than the authenticated user (Skiff, like Kafka,
// lets no user act as another).
inline std::string differentAuthorizationIdMessage()
{
    return "Authentication failed: Client requested an authorization id that is different from username";
}

} // namespace skiff::auth
