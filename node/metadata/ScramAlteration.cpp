// checkScramAlteration apart from the other SCRAM rules: the one that reads a metadata command,
// so that ScramCredentials.cpp needs no protobuf (the SASL fuzzer builds it alone).
#include "metadata.pb.h"
#include "metadata/ScramCredentials.h"

#include <set>
#include <string>
#include <utility>

namespace skiff::metadata {

ScramDecision checkScramAlteration(const ScramCredentialMap &credentials, const AlterScramCredentials &command)
{
    std::set<std::pair<std::string, int32_t>> named;
    auto once = [&](const std::string &user, int32_t mechanism) {
        return named.emplace(user, mechanism).second
                   ? ScramDecision{}
                   : ScramDecision{ScramRefusal::Duplicate, "A user credential cannot be altered twice in the same request: mechanism "
                                                              + std::to_string(mechanism) + " of user '" + user + "'"};
    };
    for (const auto &d : command.deletions()) {
        if (ScramDecision r = checkScramDeletion(credentials, d.user(), d.mechanism()); !r.ok())
            return r;
        if (ScramDecision r = once(d.user(), d.mechanism()); !r.ok())
            return r;
    }
    for (const auto &u : command.upsertions()) {
        if (ScramDecision r = checkScramUpsertion(u.user(), u.mechanism(), u.iterations(), u.salt(), u.stored_key(), u.server_key());
            !r.ok())
            return r;
        if (ScramDecision r = once(u.user(), u.mechanism()); !r.ok())
            return r;
    }
    return {};
}

} // namespace skiff::metadata
