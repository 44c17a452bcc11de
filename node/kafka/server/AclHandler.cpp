#include "kafka/server/AclHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/Acls.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/ProposalAnswers.h"
#include "kafka/server/RequestAuthorizer.h"
#include "metadata.pb.h"

#include <map>
#include <memory>
#include <tuple>

namespace skiff::kafka {

using metadata::AclOperation;

namespace {

// Kafka's words for an ACL call on a broker without an authorizer.
constexpr const char *kNoAuthorizer = "No Authorizer is configured.";

metadata::AclBinding fromWire(const AclBinding &b)
{
    return {metadata::AclResourceType(b.resourceType), b.resourceName, metadata::AclPatternType(b.patternType),
            b.principal, b.host, metadata::AclOperation(b.operation), metadata::AclPermission(b.permissionType)};
}

AclBinding toWire(const metadata::AclBinding &b)
{
    return {int8_t(b.resourceType), b.resourceName, int8_t(b.patternType), b.principal, b.host, int8_t(b.operation),
            int8_t(b.permission)};
}

metadata::AclFilter fromWire(const AclBindingFilter &f)
{
    return {metadata::AclResourceType(f.resourceTypeFilter), f.resourceNameFilter, metadata::AclPatternType(f.patternTypeFilter),
            f.principalFilter, f.hostFilter, metadata::AclOperation(f.operation), metadata::AclPermission(f.permissionType)};
}

// Why a proposal was not applied, as the code each of its ACLs answers with.
std::pair<int16_t, std::string> failureOf(const metadata::ApplyResult &applied)
{
    if (applied.status.code() == StatusCode::InvalidArgument)
        return {toWire(ErrorCode::InvalidRequest), applied.status.message()};
    return {toWire(unappliedProposalError(applied.status)), applied.status.toString()};
}

} // namespace

void AclHandler::describeAcls(RequestInfo info, const DescribeAclsRequest &request)
{
    DescribeAclsResponse response;
    const metadata::ImagePtr image = m_context.image();
    const metadata::AclFilter filter = fromWire(request.filter);
    if (!m_context.authorizer.enabled()) {
        response.errorCode = toWire(ErrorCode::SecurityDisabled);
        response.errorMessage = kNoAuthorizer;
    } else if (!m_context.authorizer.allowsCluster(info, *image, AclOperation::Describe)) {
        response.errorCode = toWire(ErrorCode::ClusterAuthorizationFailed);
    } else if (std::string why = metadata::checkAclFilter(filter); !why.empty()) {
        response.errorCode = toWire(ErrorCode::InvalidRequest);
        response.errorMessage = why;
    } else {
        // One resource per pattern, its ACLs in the image's order (which keeps a pattern's together).
        for (const metadata::AclBinding &acl : metadata::matchingAcls(image->acls, filter)) {
            if (response.resources.empty() || response.resources.back().resourceType != int8_t(acl.resourceType)
                || response.resources.back().patternType != int8_t(acl.patternType)
                || response.resources.back().resourceName != acl.resourceName)
                response.resources.push_back({int8_t(acl.resourceType), acl.resourceName, int8_t(acl.patternType), {}});
            response.resources.back().acls.push_back({acl.principal, acl.host, int8_t(acl.operation), int8_t(acl.permission)});
        }
    }
    info.reply(response);
}

void AclHandler::createAcls(RequestInfo info, const CreateAclsRequest &request)
{
    auto response = std::make_shared<CreateAclsResponse>();
    const metadata::ImagePtr image = m_context.image();
    if (!m_context.authorizer.enabled()) {
        response->results.assign(request.creations.size(), {toWire(ErrorCode::SecurityDisabled), kNoAuthorizer});
        return info.reply(*response);
    }
    if (!m_context.authorizer.allowsCluster(info, *image, AclOperation::Alter)) {
        response->results.assign(request.creations.size(), {toWire(ErrorCode::ClusterAuthorizationFailed), std::nullopt});
        return info.reply(*response);
    }
    metadata::Command command;
    std::vector<size_t> proposed;   // positions in results of the creations in the command
    for (const AclBinding &creation : request.creations) {
        const metadata::AclBinding acl = fromWire(creation);
        if (std::string why = metadata::checkNewAcl(acl); !why.empty()) {
            response->results.push_back({toWire(ErrorCode::InvalidRequest), why});
            continue;
        }
        proposed.push_back(response->results.size());
        response->results.push_back({});
        metadata::aclToEntry(acl, command.mutable_alter_acls()->add_additions());
    }
    if (proposed.empty())
        return info.reply(*response);
    m_context.controller.submit(command, m_context.owner,
                                [info = std::move(info), response, proposed](metadata::ApplyResult applied) mutable {
                                    if (!applied.status.isOk()) {
                                        const auto [code, message] = failureOf(applied);
                                        for (size_t i : proposed)
                                            response->results[i] = {code, message};
                                    }
                                    info.reply(*response);
                                });
}

void AclHandler::deleteAcls(RequestInfo info, const DeleteAclsRequest &request)
{
    auto response = std::make_shared<DeleteAclsResponse>();
    const metadata::ImagePtr image = m_context.image();
    if (!m_context.authorizer.enabled()) {
        response->filterResults.assign(request.filters.size(), {toWire(ErrorCode::SecurityDisabled), kNoAuthorizer, {}});
        return info.reply(*response);
    }
    if (!m_context.authorizer.allowsCluster(info, *image, AclOperation::Alter)) {
        response->filterResults.assign(request.filters.size(), {toWire(ErrorCode::ClusterAuthorizationFailed), std::nullopt, {}});
        return info.reply(*response);
    }
    metadata::Command command;
    metadata::AclSet removed;   // each ACL once in the command, though several filters match it
    for (const AclBindingFilter &wire : request.filters) {
        const metadata::AclFilter filter = fromWire(wire);
        DeleteAclsResponse::FilterResult result;
        if (std::string why = metadata::checkAclFilter(filter); !why.empty()) {
            result.errorCode = toWire(ErrorCode::InvalidRequest);
            result.errorMessage = why;
        } else {
            for (const metadata::AclBinding &acl : metadata::matchingAcls(image->acls, filter)) {
                result.matchingAcls.push_back({0, std::nullopt, toWire(acl)});
                if (removed.insert(acl).second)
                    metadata::aclToEntry(acl, command.mutable_alter_acls()->add_removals());
            }
        }
        response->filterResults.push_back(std::move(result));
    }
    if (removed.empty())
        return info.reply(*response);
    m_context.controller.submit(command, m_context.owner, [info = std::move(info), response](metadata::ApplyResult applied) mutable {
        if (!applied.status.isOk()) {
            const auto [code, message] = failureOf(applied);
            for (auto &result : response->filterResults)
                if (result.errorCode == 0 && !result.matchingAcls.empty())
                    result = {code, message, {}};
        }
        info.reply(*response);
    });
}

} // namespace skiff::kafka
