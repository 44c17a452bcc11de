#include "kafka/server/SecurityHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/ClientQuotas.h"
#include "kafka/protocol/messages/ScramCredentials.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/ProposalAnswers.h"
#include "auth/ScramFormulas.h"
#include "metadata.pb.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace skiff::kafka {

namespace {

ErrorCode errorCodeOf(metadata::ClientQuotaRefusal refusal)
{
    using R = metadata::ClientQuotaRefusal;
    switch (refusal) {
    case R::None: return ErrorCode::None;
    case R::InvalidRequest: return ErrorCode::InvalidRequest;
    case R::Unsupported: return ErrorCode::UnsupportedVersion;
    }
    return ErrorCode::UnknownServerError;
}

std::vector<QuotaEntityPart> wireEntity(const metadata::QuotaEntity &entity)
{
    std::vector<QuotaEntityPart> parts;
    if (entity.user.present)
        parts.push_back({std::string(metadata::kQuotaEntityUser), entity.user.name});
    if (entity.clientId.present)
        parts.push_back({std::string(metadata::kQuotaEntityClientId), entity.clientId.name});
    return parts;
}

using PendingQuotaAlteration = PendingAnswer<AlterClientQuotasResponse>;

} // namespace

void SecurityHandler::describeClientQuotas(RequestInfo info, const DescribeClientQuotasRequest &request)
{
    const metadata::ImagePtr image = m_context.image();
    if (!m_context.authorizer.allowsCluster(info, *image, metadata::AclOperation::DescribeConfigs)) {
        DescribeClientQuotasResponse refused;
        refused.errorCode = toWire(ErrorCode::ClusterAuthorizationFailed);
        refused.errorMessage = "Cluster authorization failed.";
        return info.reply(refused);
    }
    std::vector<metadata::QuotaFilterComponent> filter;
    for (const auto &c : request.components)
        filter.push_back({c.entityType, c.matchType, c.match});
    std::vector<const metadata::ClientQuotaMap::value_type *> matched;
    DescribeClientQuotasResponse response;
    const metadata::ClientQuotaDecision d = metadata::describeClientQuotas(image->clientQuotas, filter, request.strict, matched);
    if (!d.ok()) {
        response.errorCode = toWire(errorCodeOf(d.refusal));
        response.errorMessage = d.message;
        return info.reply(response);   // entries null, as Kafka answers an error
    }
    response.entries.emplace();
    for (const auto *entry : matched) {
        DescribeClientQuotasResponse::Entry e{wireEntity(entry->first), {}};
        for (const auto &[key, value] : entry->second)
            e.values.push_back({key, value});
        response.entries->push_back(std::move(e));
    }
    info.reply(response);
}

void SecurityHandler::alterClientQuotas(RequestInfo info, const AlterClientQuotasRequest &request)
{
    // Kafka's ClientQuotaControlManager.alterClientQuotas: each entity is answered on its own; an
    // entity named twice is refused ("Ignoring duplicate entity") and its first alteration is not
    // carried out either. What passes here is proposed, one command per entity, and checked
    // again when applied; validate_only stops after the checks.
    auto pending = std::make_shared<PendingQuotaAlteration>();
    // Kafka: ALTER_CONFIGS on the cluster, else every entity CLUSTER_AUTHORIZATION_FAILED.
    if (!m_context.authorizer.allowsCluster(info, *m_context.image(), metadata::AclOperation::AlterConfigs)) {
        for (const auto &entry : request.entries)
            pending->response.entries.push_back({toWire(ErrorCode::ClusterAuthorizationFailed), "Cluster authorization failed.",
                                                 entry.entity});
        return info.reply(pending->response);
    }
    std::map<metadata::QuotaEntity, metadata::Command> commands;
    std::map<metadata::QuotaEntity, size_t> answerOf;   // entity → its index in the response
    for (const auto &entry : request.entries) {
        std::vector<std::pair<std::string, std::optional<std::string>>> parts;
        for (const auto &p : entry.entity)
            parts.emplace_back(p.entityType, p.entityName);
        metadata::QuotaEntity entity;
        metadata::ClientQuotaDecision d = metadata::quotaEntityFromParts(parts, entity);
        if (!d.ok()) {
            pending->response.entries.push_back({toWire(errorCodeOf(d.refusal)), d.message, entry.entity});
            continue;
        }
        if (auto seen = answerOf.find(entity); seen != answerOf.end()) {
            commands.erase(entity);
            auto &first = pending->response.entries[seen->second];
            first.errorCode = toWire(ErrorCode::InvalidRequest);
            first.errorMessage = "Ignoring duplicate entity " + metadata::quotaEntityPath(entity);
            continue;
        }
        answerOf[entity] = pending->response.entries.size();
        pending->response.entries.push_back({0, std::nullopt, entry.entity});
        metadata::Command command;
        auto *alteration = command.mutable_alter_client_quotas();
        metadata::quotaEntityToProto(entity, *alteration->mutable_entity());
        for (const auto &op : entry.ops) {
            auto *o = alteration->add_ops();
            o->set_key(op.key);
            o->set_value(op.value);
            o->set_remove(op.remove);
        }
        if (d = metadata::checkClientQuotaAlteration(*alteration); !d.ok()) {
            auto &answer = pending->response.entries.back();
            answer.errorCode = toWire(errorCodeOf(d.refusal));
            answer.errorMessage = d.message;
            continue;
        }
        commands.emplace(entity, std::move(command));
    }
    pending->info = std::move(info);
    if (request.validateOnly || commands.empty())
        return pending->info.reply(pending->response);
    pending->waiting = commands.size();
    for (auto &[entity, command] : commands) {
        const size_t index = answerOf.at(entity);
        m_context.controller.submit(command, m_context.owner, [pending, index](metadata::ApplyResult applied) {
            auto &answer = pending->response.entries[index];
            if (!applied.status.isOk()) {
                const bool refused = applied.value != 0 && applied.value <= uint64_t(metadata::ClientQuotaRefusal::Unsupported);
                const ErrorCode code = refused ? errorCodeOf(metadata::ClientQuotaRefusal(applied.value))
                                               : unappliedProposalError(applied.status);
                answer.errorCode = toWire(code);
                answer.errorMessage = refused ? applied.status.message() : applied.status.toString();
            }
            if (--pending->waiting == 0)
                pending->info.reply(pending->response);
        });
    }
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
    return {user, toWire(unappliedProposalError(applied.status)), applied.status.toString()};
}

using PendingAlteration = PendingAnswer<AlterUserScramCredentialsResponse>;

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
