#include "kafka/server/TopicAdminHandler.h"

#include "kafka/protocol/messages/CreatePartitions.h"
#include "kafka/protocol/messages/CreateTopics.h"
#include "kafka/protocol/messages/DeleteTopics.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/Completion.h"
#include "metadata.pb.h"

#include <set>

namespace skiff::kafka {
namespace {

using Outcome = TopicAdminHandler::Outcome;

Outcome fail(ErrorCode code, std::string message) { return {code, std::move(message)}; }

Outcome fromApply(const Status &s)
{
    switch (s.code()) {
    case StatusCode::Ok: return {};
    case StatusCode::AlreadyExists: return fail(ErrorCode::TopicAlreadyExists, s.message());
    case StatusCode::NotFound: return fail(ErrorCode::UnknownTopicOrPartition, s.message());
    case StatusCode::InvalidArgument: return fail(ErrorCode::InvalidRequest, s.message());
    case StatusCode::Unavailable: return fail(ErrorCode::NotController, s.message());
    // The only refusal of a topic command by the state of the cluster: max.partitions.per.broker.
    case StatusCode::FailedPrecondition: return fail(ErrorCode::PolicyViolation, s.message());
    // CreatePartitions planned from a partition count another request changed first.
    case StatusCode::OutOfRange: return fail(ErrorCode::InvalidPartitions, s.message());
    default: return fail(ErrorCode::UnknownServerError, s.toString());
    }
}

} // namespace

ErrorCode TopicAdminHandler::errorCodeOf(metadata::TopicRefusal reason)
{
    using metadata::TopicRefusal;
    switch (reason) {
    case TopicRefusal::InvalidName: return ErrorCode::InvalidTopicException;
    case TopicRefusal::AlreadyExists: return ErrorCode::TopicAlreadyExists;
    case TopicRefusal::UnknownTopic: return ErrorCode::UnknownTopicOrPartition;
    case TopicRefusal::InvalidPartitionCount: return ErrorCode::InvalidPartitions;
    case TopicRefusal::InvalidReplicationFactor: return ErrorCode::InvalidReplicationFactor;
    case TopicRefusal::InvalidReplicaAssignment: return ErrorCode::InvalidReplicaAssignment;
    case TopicRefusal::AssignmentWithCounts: return ErrorCode::InvalidRequest;
    case TopicRefusal::InvalidConfig: return ErrorCode::InvalidConfig;
    case TopicRefusal::PartitionLimit: return ErrorCode::PolicyViolation;
    }
    return ErrorCode::UnknownServerError;
}

TopicAdminHandler::TopicAdminHandler(BrokerContext &context)
    : m_context(context), m_policy(topicPolicy(context.config))
{
}

void TopicAdminHandler::propose(const metadata::Command &command, Done done)
{
    m_context.controller.submit(command, m_context.owner, [done = std::move(done)](metadata::ApplyResult r) {
        done(fromApply(r.status));
    });
}

void TopicAdminHandler::create(const metadata::NewTopic &topic, bool validateOnly, Done done)
{
    carryOut(metadata::planCreateTopic(*m_context.image(), m_policy, topic), validateOnly, std::move(done));
}

void TopicAdminHandler::carryOut(const metadata::TopicPlan &plan, bool validateOnly, Done done)
{
    if (!plan.isOk())
        return done(fail(errorCodeOf(plan.refusal().reason), plan.refusal().message));
    if (validateOnly)
        return done({});
    propose(plan.command(), std::move(done));
}

void TopicAdminHandler::autoCreate(const std::string &name, Done done)
{
    metadata::NewTopic topic;
    topic.name = name;
    create(topic, false, [done = std::move(done)](Outcome outcome) {
        done(outcome.code == ErrorCode::TopicAlreadyExists ? Outcome{} : outcome);
    });
}

void TopicAdminHandler::createInternal(const std::string &name, int32_t partitions, int16_t replicationFactor,
                                       std::map<std::string, std::string> configs, Done done)
{
    metadata::NewTopic topic;
    topic.name = name;
    topic.partitions = partitions;
    topic.replicationFactor = replicationFactor;
    topic.configs = std::move(configs);
    create(topic, false, [done = std::move(done)](Outcome outcome) {
        done(outcome.code == ErrorCode::TopicAlreadyExists ? Outcome{} : outcome);
    });
}

void TopicAdminHandler::createTopics(RequestInfo info, CreateTopicsRequest request)
{
    auto response = std::make_shared<CreateTopicsResponse>();
    // Kafka: CREATE on the cluster covers every topic, else CREATE on each topic.
    std::vector<bool> creatable;
    {
        const auto image = m_context.image();
        const bool cluster = m_context.authorizer.allowsCluster(info, *image, metadata::AclOperation::Create,
                                                                RequestAuthorizer::Denial::Quiet);
        for (const auto &t : request.topics)
            creatable.push_back(cluster || m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Create, t.name));
    }
    auto completion = Completion::create([this, info = std::move(info), response]() mutable {
        const auto image = m_context.image();
        for (auto &t : response->topics) {
            const metadata::TopicInfo *topic = t.errorCode == 0 ? image->topic(t.name) : nullptr;
            if (!topic)
                continue;
            std::copy(topic->id.begin(), topic->id.end(), t.topicId.begin());
            t.numPartitions = int32_t(topic->partitions.size());
            t.replicationFactor = topic->partitions.empty() ? -1 : int16_t(topic->partitions[0].replicas.size());
            std::vector<CreateTopicsResponse::Config> configs;
            for (const auto &c : m_context.topicConfigs.effective(topic->configs))
                configs.push_back({c.name, c.value, c.readOnly, int8_t(c.source), false});
            t.configs = std::move(configs);
        }
        info.reply(*response);
    });

    std::set<std::string> seen;
    response->topics.reserve(request.topics.size());
    for (auto &t : request.topics) {
        response->topics.push_back({});
        const size_t index = response->topics.size() - 1;
        response->topics[index].name = t.name;
        if (!creatable[index]) {
            response->topics[index].errorCode = toWire(ErrorCode::TopicAuthorizationFailed);
            response->topics[index].errorMessage = "Authorization failed.";
            continue;
        }
        if (!seen.insert(t.name).second) {
            response->topics[index].errorCode = toWire(ErrorCode::InvalidRequest);
            response->topics[index].errorMessage = "topic '" + t.name + "' appears twice in the request";
            continue;
        }
        // -1 asks for the broker's default (num.partitions, default.replication.factor).
        metadata::NewTopic topic;
        topic.name = t.name;
        if (t.numPartitions != -1)
            topic.partitions = t.numPartitions;
        if (t.replicationFactor != -1)
            topic.replicationFactor = t.replicationFactor;
        for (const auto &a : t.assignments)
            topic.assignments.emplace_back(a.partitionIndex, a.brokerIds);
        for (const auto &c : t.configs)
            if (c.value)
                topic.configs[c.name] = *c.value;
        completion->add();
        create(topic, request.validateOnly, [response, index, completion](Outcome outcome) {
            response->topics[index].errorCode = toWire(outcome.code);
            if (!outcome.ok())
                response->topics[index].errorMessage = outcome.message;
            completion->finishOne();
        });
    }
    completion->arm();
}

void TopicAdminHandler::deleteTopics(RequestInfo info, DeleteTopicsRequest request)
{
    auto response = std::make_shared<DeleteTopicsResponse>();
    const auto image = m_context.image();
    // Decided before `info` moves into the completion.
    auto deletable = [&](const std::string &name) {
        return m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Delete, name);
    };

    // v6 names topics by name or id; earlier versions by name only.
    std::vector<DeleteTopicsRequest::Topic> topics = request.topics;
    for (const auto &name : request.topicNames)
        topics.push_back({name, {}});
    std::vector<bool> allowed;
    for (const auto &t : topics) {
        std::string name = t.name.value_or("");
        if (!t.name)
            for (const auto &[n, topic] : image->topics)
                if (std::equal(topic->id.begin(), topic->id.end(), t.topicId.begin()))
                    name = n;
        allowed.push_back(name.empty() || deletable(name));
    }
    auto completion = Completion::create([info = std::move(info), response]() mutable { info.reply(*response); });
    for (const auto &t : topics) {
        response->responses.push_back({t.name, t.topicId, 0, std::nullopt});
        const size_t index = response->responses.size() - 1;
        std::string name = t.name.value_or("");
        if (!t.name) {
            for (const auto &[n, info] : image->topics)
                if (std::equal(info->id.begin(), info->id.end(), t.topicId.begin()))
                    name = n;
            if (name.empty()) {
                response->responses[index].errorCode = toWire(ErrorCode::UnknownTopicId);
                continue;
            }
            response->responses[index].name = name;
        }
        if (!allowed[index]) {
            response->responses[index].errorCode = toWire(ErrorCode::TopicAuthorizationFailed);
            response->responses[index].errorMessage = "Authorization failed.";
            continue;
        }
        // A topic this node has not seen yet may have just been created through another node:
        // the log decides (the state machine answers NotFound if it really does not exist).
        if (const metadata::TopicInfo *topic = image->topic(name))
            std::copy(topic->id.begin(), topic->id.end(), response->responses[index].topicId.begin());
        metadata::Command command;
        command.mutable_delete_topic()->set_name(name);
        completion->add();
        propose(command, [response, index, completion](Outcome outcome) {
            response->responses[index].errorCode = toWire(outcome.code);
            if (!outcome.ok())
                response->responses[index].errorMessage = outcome.message;
            completion->finishOne();
        });
    }
    completion->arm();
}

void TopicAdminHandler::createPartitions(RequestInfo info, CreatePartitionsRequest request)
{
    auto response = std::make_shared<CreatePartitionsResponse>();
    const auto image = m_context.image();
    std::vector<bool> alterable;
    for (const auto &t : request.topics)
        alterable.push_back(m_context.authorizer.allowsTopic(info, *image, metadata::AclOperation::Alter, t.name));
    auto completion = Completion::create([info = std::move(info), response]() mutable { info.reply(*response); });
    for (const auto &t : request.topics) {
        response->results.push_back({t.name, 0, std::nullopt});
        const size_t index = response->results.size() - 1;
        auto failWith = [&](ErrorCode code, std::string message) {
            response->results[index].errorCode = toWire(code);
            response->results[index].errorMessage = std::move(message);
        };
        if (!alterable[index]) {
            failWith(ErrorCode::TopicAuthorizationFailed, "Authorization failed.");
            continue;
        }
        metadata::NewPartitions grow;
        grow.name = t.name;
        grow.totalCount = t.count;
        if (t.assignments)
            for (const auto &a : *t.assignments)
                grow.assignments.push_back(a.brokerIds);
        const auto plan = metadata::planCreatePartitions(*image, m_policy, grow);
        if (!plan.isOk()) {
            failWith(errorCodeOf(plan.refusal().reason), plan.refusal().message);
            continue;
        }
        if (request.validateOnly)
            continue;
        completion->add();
        propose(plan.command(), [response, index, completion](Outcome outcome) {
            response->results[index].errorCode = toWire(outcome.code);
            if (!outcome.ok())
                response->results[index].errorMessage = outcome.message;
            completion->finishOne();
        });
    }
    completion->arm();
}

} // namespace skiff::kafka
