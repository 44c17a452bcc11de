#include "kafka/server/SecurityHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/Acls.h"
#include "kafka/protocol/messages/ClientQuotas.h"
#include "kafka/protocol/messages/ScramCredentials.h"

#include <set>
#include <string>

namespace skiff::kafka {

namespace {

// Kafka's words for an ACL call on a broker without an authorizer.
constexpr const char *kNoAuthorizer = "No Authorizer is configured.";

} // namespace

void SecurityHandler::describeAcls(RequestInfo info, const DescribeAclsRequest &)
{
    DescribeAclsResponse response;
    response.errorCode = toWire(ErrorCode::SecurityDisabled);
    response.errorMessage = kNoAuthorizer;
    info.reply(response);
}

void SecurityHandler::createAcls(RequestInfo info, const CreateAclsRequest &request)
{
    CreateAclsResponse response;
    response.results.assign(request.creations.size(), {toWire(ErrorCode::SecurityDisabled), kNoAuthorizer});
    info.reply(response);
}

void SecurityHandler::deleteAcls(RequestInfo info, const DeleteAclsRequest &request)
{
    DeleteAclsResponse response;
    response.filterResults.assign(request.filters.size(), {toWire(ErrorCode::SecurityDisabled), kNoAuthorizer, {}});
    info.reply(response);
}

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
    DescribeUserScramCredentialsResponse response;
    std::set<std::string> seen;
    for (const auto &user : request.users.value_or(std::vector<std::string>{})) {
        if (!seen.insert(user).second)
            continue;   // Kafka answers a user named twice once
        response.results.push_back({user, toWire(ErrorCode::ResourceNotFound),
                                    "Attempt to describe a user credential that does not exist: " + user, {}});
    }
    info.reply(response);
}

void SecurityHandler::alterUserScramCredentials(RequestInfo info, const AlterUserScramCredentialsRequest &request)
{
    AlterUserScramCredentialsResponse response;
    std::set<std::string> answered;
    for (const auto &u : request.upsertions)
        if (answered.insert(u.name).second)
            response.results.push_back({u.name, toWire(ErrorCode::UnsupportedSaslMechanism),
                                        "Skiff has no SASL listener, so it stores no SCRAM credentials"});
    for (const auto &d : request.deletions)
        if (answered.insert(d.name).second)
            response.results.push_back({d.name, toWire(ErrorCode::ResourceNotFound),
                                        "Attempt to delete a user credential that does not exist"});
    info.reply(response);
}

} // namespace skiff::kafka
