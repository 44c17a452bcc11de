#include "kafka/server/SecurityHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/ClientQuotas.h"
#include "kafka/protocol/messages/ScramCredentials.h"
#include "kafka/server/BrokerContext.h"
#include "auth/ScramFormulas.h"
#include "metadata.pb.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace skiff::kafka {

void SecurityHandler::describeClientQuotas(RequestInfo info, const DescribeClientQuotasRequest &)
{
    DescribeClientQuotasResponse response;
    response.entries.emplace();   // no quota is configured for any entity
    info.reply(response);
}

void SecurityHandler::alterClientQuotas(RequestInfo info, const AlterClientQuotasRequest &request)
{
    AlterClientQuotasResponse response;
    for (const auto &entry : request.entries)
        response.entries.push_back({toWire(ErrorCode::InvalidRequest),
                                    "Skiff does not enforce client quotas, so none can be set", entry.entity});
    info.reply(response);
}

void SecurityHandler::describeUserScramCredentials(RequestInfo info, const DescribeUserScramCredentialsRequest &request)
{
    const metadata::ImagePtr image = m_context.image();
    DescribeUserScramCredentialsResponse response;
    if (!m_context.authorizer.allowsCluster(info, *image, metadata::AclOperation::Describe)) {
        response.errorCode = toWire(ErrorCode::ClusterAuthorizationFailed);
        response.errorMessage = "Cluster authorization failed.";
        return info.reply(response);
    }
    auto describe = [&](const std::string &user) {
        DescribeUserScramCredentialsResponse::Result result{user, 0, std::nullopt, {}};
        auto it = image->scramCredentials.find(user);
        if (it == image->scramCredentials.end()) {
            result.errorCode = toWire(ErrorCode::ResourceNotFound);
            result.errorMessage = "Attempt to describe a user credential that does not exist: " + user;
        } else {
            for (const auto &[mechanism, credential] : it->second)
                result.credentialInfos.push_back({int8_t(mechanism), credential.iterations});
        }
        return result;
    };
    if (!request.users || request.users->empty()) {   // Kafka: no list, or an empty one, means every user
        for (const auto &[user, credentials] : image->scramCredentials)
            response.results.push_back(describe(user));
        return info.reply(response);
    }
    // Each user once, in the order first named; one named twice is refused, not described.
    std::vector<std::string> order;
    std::map<std::string, bool> twice;
    for (const auto &user : *request.users) {
        auto [it, first] = twice.emplace(user, false);
        if (first)
            order.push_back(user);
        else
            it->second = true;
    }
    for (const auto &user : order)
        response.results.push_back(twice[user] ? DescribeUserScramCredentialsResponse::Result{
                                                     user, toWire(ErrorCode::DuplicateResource),
                                                     "Cannot describe SCRAM credentials for the same user twice in a single request: " + user,
                                                     {}}
                                               : describe(user));
    info.reply(response);
}

namespace {

ErrorCode errorCodeOf(metadata::ScramRefusal refusal)
{
    using R = metadata::ScramRefusal;
    switch (refusal) {
    case R::None: return ErrorCode::None;
    case R::UnknownMechanism: return ErrorCode::UnsupportedSaslMechanism;
    case R::Unacceptable: return ErrorCode::UnacceptableCredential;
    case R::NotFound: return ErrorCode::ResourceNotFound;
    case R::Duplicate: return ErrorCode::DuplicateResource;
    }
    return ErrorCode::UnknownServerError;
}

// How the proposal of one user's change ended: the state machine's refusal as Kafka's code, or
// why it was not applied (no controller: retriable, as Kafka's NOT_CONTROLLER).
AlterUserScramCredentialsResponse::Result resultOf(const std::string &user, const metadata::ApplyResult &applied)
{
    if (applied.status.isOk())
        return {user, 0, std::nullopt};
    if (applied.value != 0 && applied.value <= uint64_t(metadata::ScramRefusal::Duplicate))
        return {user, toWire(errorCodeOf(metadata::ScramRefusal(applied.value))), applied.status.message()};
    const ErrorCode code = applied.status.code() == StatusCode::Unavailable ? ErrorCode::NotController : ErrorCode::UnknownServerError;
    return {user, toWire(code), applied.status.toString()};
}

// The answer to one AlterUserScramCredentials, filled in as its users' proposals are applied.
struct PendingAlteration {
    RequestInfo info;
    AlterUserScramCredentialsResponse response;
    size_t waiting = 0;
};

} // namespace

void SecurityHandler::alterUserScramCredentials(RequestInfo info, const AlterUserScramCredentialsRequest &request)
{
    using metadata::ScramDecision;
    using metadata::ScramRefusal;
    const metadata::ImagePtr image = m_context.image();
    if (!m_context.authorizer.allowsCluster(info, *image, metadata::AclOperation::Alter)) {
        AlterUserScramCredentialsResponse refused;
        std::set<std::string> users;
        for (const auto &d : request.deletions)
            users.insert(d.name);
        for (const auto &u : request.upsertions)
            users.insert(u.name);
        for (const auto &user : users)
            refused.results.push_back({user, toWire(ErrorCode::ClusterAuthorizationFailed), "Cluster authorization failed."});
        return info.reply(refused);
    }
    // Kafka's ScramControlManager.alterCredentials: deletions, then upsertions; a user's first
    // refusal is their answer; a user named a second time is DUPLICATE_RESOURCE and none of their
    // operations is carried out.
    std::vector<std::string> order;                      // users, as first named
    std::set<std::string> seen;
    std::map<std::string, ScramDecision> refused;
    std::map<std::string, metadata::Command> commands;   // the one valid operation of each user
    auto named = [&](const std::string &user) {
        if (refused.count(user))
            return false;
        if (commands.erase(user)) {
            refused[user] = {ScramRefusal::Duplicate, "A user credential cannot be altered twice in the same request: " + user};
            return false;
        }
        if (seen.insert(user).second)
            order.push_back(user);
        return true;
    };
    for (const auto &d : request.deletions) {
        if (!named(d.name))
            continue;
        if (ScramDecision decision = metadata::checkScramDeletion(image->scramCredentials, d.name, d.mechanism); !decision.ok()) {
            refused[d.name] = decision;
            continue;
        }
        auto *deletion = commands[d.name].mutable_alter_scram_credentials()->add_deletions();
        deletion->set_user(d.name);
        deletion->set_mechanism(d.mechanism);
    }
    for (const auto &u : request.upsertions) {
        if (!named(u.name))
            continue;
        ScramDecision decision = metadata::checkScramParameters(u.name, u.mechanism, u.iterations, u.salt);
        if (decision.ok() && u.saltedPassword.empty())
            decision = {ScramRefusal::Unacceptable, "Salted password must not be empty (user '" + u.name + "')"};
        if (!decision.ok()) {
            refused[u.name] = decision;
            continue;
        }
        const auto mechanism = *metadata::scramMechanismFromCode(u.mechanism);
        const metadata::ScramCredential credential = auth::credentialFromSaltedPassword(mechanism, u.saltedPassword, u.salt, u.iterations);
        auto *entry = commands[u.name].mutable_alter_scram_credentials()->add_upsertions();
        entry->set_user(u.name);
        entry->set_mechanism(u.mechanism);
        entry->set_iterations(credential.iterations);
        entry->set_salt(credential.salt);
        entry->set_stored_key(credential.storedKey);
        entry->set_server_key(credential.serverKey);
    }

    auto pending = std::make_shared<PendingAlteration>();
    pending->info = std::move(info);
    for (const auto &user : order)
        if (auto it = refused.find(user); it != refused.end())
            pending->response.results.push_back({user, toWire(errorCodeOf(it->second.refusal)), it->second.message});
    pending->waiting = commands.size();
    if (commands.empty())
        return pending->info.reply(pending->response);
    for (auto &[user, command] : commands)
        m_context.controller.submit(command, m_context.owner, [pending, user = user](metadata::ApplyResult applied) {
            pending->response.results.push_back(resultOf(user, applied));
            if (--pending->waiting == 0)
                pending->info.reply(pending->response);
        });
}

} // namespace skiff::kafka
