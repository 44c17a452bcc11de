#pragma once
// The principal of a client that authenticated with a TLS certificate, as Kafka's default
// principal builder names it: "User:" and the certificate's subject distinguished name in
// RFC 2253 form, most specific first ("User:CN=writer,O=Example"), what X500Principal.getName()
// gives. That is the name ACLs and super.users use for it.

#include <optional>
#include <string>
#include <string_view>

namespace skiff::auth {

// Null when `der` is no certificate.
std::optional<std::string> certificatePrincipal(std::string_view der);

} // namespace skiff::auth
