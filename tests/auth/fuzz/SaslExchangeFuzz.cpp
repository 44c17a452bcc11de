// libFuzzer harness for the SASL mechanisms a Kafka listener runs before anything else is
// served (built by run-fuzz.sh, not by CMake): whatever a client sends, the server answers or
// fails without UB, never completes an exchange it did not verify, never puts the password in
// an answer or an error, and takes nothing once an exchange ended.
//
// Input: first byte picks the mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512), the rest is the
// client's messages separated by 0x01. The server's nonce is fixed so that the fuzzer can reach
// a client-final that names it. User "user" has password "pencil" (RFC 7677's example) under
// both SCRAM mechanisms. With SKIFF_FUZZ_WRITE_SEEDS=<dir> it writes seed inputs and exits.

#include "auth/PlainServer.h"
#include "auth/ScramFormulas.h"
#include "auth/ScramServer.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

using namespace skiff;
using namespace skiff::auth;

namespace {

constexpr char kPassword[] = "pencil";
constexpr char kServerNonce[] = "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";

const ScramCredential &credential(ScramMechanism m)
{
    static const ScramCredential sha256 = credentialFromPassword(ScramMechanism::Sha256, kPassword, "salt-of-user", 4096);
    static const ScramCredential sha512 = credentialFromPassword(ScramMechanism::Sha512, kPassword, "salt-of-user", 4096);
    return m == ScramMechanism::Sha256 ? sha256 : sha512;
}

CredentialLookup lookup()
{
    return [](const std::string &user, ScramMechanism m) -> std::optional<ScramCredential> {
        if (user == "user")
            return credential(m);
        return std::nullopt;
    };
}

std::unique_ptr<SaslServer> serverFor(uint8_t selector)
{
    switch (selector % 3) {
    case 0: return std::make_unique<PlainServer>(lookup());
    case 1: return std::make_unique<ScramServer>(ScramMechanism::Sha256, lookup(), [] { return std::string(kServerNonce); });
    default: return std::make_unique<ScramServer>(ScramMechanism::Sha512, lookup(), [] { return std::string(kServerNonce); });
    }
}

[[noreturn]] void finding(const char *what)
{
    std::fprintf(stderr, "FINDING: %s\n", what);
    std::abort();
}

void writeSeeds(const std::string &dir)
{
    const auto seed = [&](const std::string &name, char selector, const std::vector<std::string> &messages) {
        std::string bytes(1, selector);
        for (size_t i = 0; i < messages.size(); ++i)
            bytes += (i ? "\x01" : "") + messages[i];
        std::ofstream(dir + "/" + name, std::ios::binary) << bytes;
    };
    seed("plain", 0, {std::string("\0user\0pencil", 12)});
    seed("plain-authzid", 0, {std::string("user\0user\0wrong", 15)});
    seed("scram256-first", 1, {"n,,n=user,r=rOprNGfwEbeRWgbNEkqO"});
    seed("scram512-two", 2, {"n,,n=user,r=abc", std::string("c=biws,r=abc") + kServerNonce + ",p=AAAA"});
    seed("scram-escapes", 2, {"y,a=us=2Cer,n=us=3Der,r=x,ext=1"});
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    std::unique_ptr<SaslServer> server = serverFor(data[0]);
    const std::string input(reinterpret_cast<const char *>(data + 1), size - 1);
    bool ended = false;
    size_t start = 0;
    while (start <= input.size()) {
        size_t end = input.find('\x01', start);
        if (end == std::string::npos)
            end = input.size();
        const std::string message = input.substr(start, end - start);
        start = end + 1;
        const bool wasComplete = server->complete();
        Result<std::string> answer = server->step(message);
        if (ended && answer.isOk())
            finding("a message after the exchange ended was taken");
        const std::string text = answer.isOk() ? answer.value() : answer.status().message();   // a copy: status() is a temporary
        if (text.find(kPassword) != std::string::npos && message.find(kPassword) == std::string::npos)
            finding("the password appears in an answer");
        if (server->complete() && !wasComplete && server->user() != "user")
            finding("an exchange completed for a user without a credential");
        if (!answer.isOk() || server->complete())
            ended = true;
    }
    return 0;
}

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    if (const char *dir = std::getenv("SKIFF_FUZZ_WRITE_SEEDS")) {
        writeSeeds(dir);
        std::exit(0);
    }
    return 0;
}
