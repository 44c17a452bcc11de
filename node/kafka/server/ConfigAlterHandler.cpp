#include "kafka/server/ConfigAlterHandler.h"

#include "kafka/protocol/messages/AlterConfigs.h"
#include "kafka/protocol/messages/DescribeConfigs.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/Completion.h"
#include "kafka/server/TopicAdminHandler.h"

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace skiff::kafka {
namespace {

using Outcome = TopicAdminHandler::Outcome;
using Op = IncrementalAlterConfigsRequest;

// AlterConfigs' configs are all SET (of the whole set); IncrementalAlterConfigs names its operation.
int8_t operationOf(const AlterConfigsRequest::Config &) { return Op::kSet; }
int8_t operationOf(const IncrementalAlterConfigsRequest::Config &c) { return c.configOperation; }

std::optional<metadata::ConfigOp> configOp(int8_t wire)
{
    switch (wire) {
    case Op::kSet: return metadata::ConfigOp::Set;
    case Op::kDelete: return metadata::ConfigOp::Delete;
    case Op::kAppend: return metadata::ConfigOp::Append;
    case Op::kSubtract: return metadata::ConfigOp::Subtract;
    default: return std::nullopt;
    }
}

std::string joined(const std::vector<std::string> &names)
{
    std::string out;
    for (const auto &n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

// The checks Kafka makes on a resource before looking at its type's rules (ConfigAdminManager's
// preprocess): each config named once, a value for everything but DELETE, a known operation.
// On success, fills `change` with the resource's configs.
template <class Resource>
std::optional<Outcome> checkShape(const Resource &resource, metadata::TopicConfigChange &change)
{
    std::set<std::string> names;
    std::vector<std::string> nullValues;
    for (const auto &c : resource.configs) {
        if (!names.insert(c.name).second)
            return Outcome{ErrorCode::InvalidRequest, "Error due to duplicate config keys"};
        const auto op = configOp(operationOf(c));
        if (!op)
            return Outcome{ErrorCode::InvalidRequest, "unknown config operation " + std::to_string(operationOf(c))
                                                          + " for '" + c.name + "' (0 SET, 1 DELETE, 2 APPEND, 3 SUBTRACT)"};
        if (*op != metadata::ConfigOp::Delete && !c.value) {
            nullValues.push_back(c.name);
            continue;
        }
        change.changes.push_back({c.name, *op, c.value.value_or("")});
    }
    if (!nullValues.empty())
        return Outcome{ErrorCode::InvalidRequest, "Null value not supported for : " + joined(nullValues)};
    return std::nullopt;
}

template <class Resource>
Outcome refuseBrokerResource(const Resource &resource)
{
    std::vector<std::string> names;
    for (const auto &c : resource.configs)
        names.push_back(c.name);
    return {ErrorCode::InvalidRequest,
            "Cannot update these configs dynamically: [" + joined(names)
                + "]: Skiff's broker configs are static (read from the node's config file at start); change them "
                  "there and restart the node"};
}

} // namespace

ConfigAlterHandler::ConfigAlterHandler(BrokerContext &context, TopicAdminHandler &topics)
    : m_context(context), m_topics(topics)
{
}

void ConfigAlterHandler::alterConfigs(RequestInfo info, const AlterConfigsRequest &request)
{
    alter<AlterConfigsResponse>(std::move(info), request, true);
}

void ConfigAlterHandler::incrementalAlterConfigs(RequestInfo info, const IncrementalAlterConfigsRequest &request)
{
    alter<IncrementalAlterConfigsResponse>(std::move(info), request, false);
}

template <class Response, class Request>
void ConfigAlterHandler::alter(RequestInfo info, const Request &request, bool replaceAll)
{
    auto response = std::make_shared<Response>();
    const auto image = m_context.image();
    std::vector<ErrorCode> denials;   // decided before `info` moves into the completion
    for (const auto &resource : request.resources)
        denials.push_back(m_context.authorizer.configDenial(info, *image, metadata::AclOperation::AlterConfigs,
                                                            resource.resourceType, resource.resourceName));
    auto completion = Completion::create([info = std::move(info), response]() mutable { info.reply(*response); });

    std::set<std::pair<int8_t, std::string>> seen, repeated;
    for (const auto &r : request.resources)
        if (!seen.insert({r.resourceType, r.resourceName}).second)
            repeated.insert({r.resourceType, r.resourceName});

    response->responses.reserve(request.resources.size());
    for (const auto &resource : request.resources) {
        response->responses.push_back({0, std::nullopt, resource.resourceType, resource.resourceName});
        const size_t index = response->responses.size() - 1;
        auto answer = [response, index](const Outcome &outcome) {
            response->responses[index].errorCode = toWire(outcome.code);
            if (!outcome.ok())
                response->responses[index].errorMessage = outcome.message;
        };
        metadata::TopicConfigChange change;
        change.name = resource.resourceName;
        change.replaceAll = replaceAll;
        if (denials[index] != ErrorCode::None) {
            answer({denials[index], "Authorization failed."});
        } else if (repeated.count({resource.resourceType, resource.resourceName})) {
            answer({ErrorCode::InvalidRequest, "Each resource must appear at most once."});
        } else if (resource.resourceType != DescribeConfigsRequest::kTopicResource
                   && resource.resourceType != DescribeConfigsRequest::kBrokerResource) {
            answer({ErrorCode::InvalidRequest, "config changes are supported for topics (2) and brokers (4), but resource type is "
                                                   + std::to_string(resource.resourceType)});
        } else if (auto refusal = checkShape(resource, change)) {
            answer(*refusal);
        } else if (resource.resourceType == DescribeConfigsRequest::kBrokerResource) {
            answer(refuseBrokerResource(resource));
        } else {
            completion->add();
            m_topics.carryOut(metadata::planAlterTopicConfig(*image, m_topics.policy(), change), request.validateOnly,
                              [answer, completion](Outcome outcome) {
                                  answer(outcome);
                                  completion->finishOne();
                              });
        }
    }
    completion->arm();
}

} // namespace skiff::kafka
