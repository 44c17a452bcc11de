#pragma once
// The text of SCRAM messages (RFC 5802 section 5.1), as both sides of an exchange write and read
// it: the server (ScramServer) and the client a follower authenticates with (ScramClient).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace skiff::auth {

std::string base64Encode(std::string_view bytes);
// Strict base64 as RFC 5802 (and Kafka's ScramMessages) write it: the standard alphabet, in
// groups of four, '=' only as the padding of the last group.
std::optional<std::string> base64Decode(std::string_view text);
// The comma-separated attributes of a message, empty ones kept.
std::vector<std::string_view> splitAttributes(std::string_view text);
// RFC 5802 saslname: "," is written =2C and "=" is written =3D; no other '=' and no NUL.
std::optional<std::string> decodeSaslName(std::string_view saslName);
std::string encodeSaslName(std::string_view name);
// RFC 5802 nonce: printable ASCII except ','.
bool isPrintableNonce(std::string_view nonce);
inline bool startsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

} // namespace skiff::auth
