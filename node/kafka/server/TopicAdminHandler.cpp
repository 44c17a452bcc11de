#include "kafka/server/TopicAdminHandler.h"

#include "kafka/protocol/messages/CreatePartitions.h"
#include "kafka/protocol/messages/CreateTopics.h"
#include "kafka/protocol/messages/DeleteTopics.h"
#include "kafka/server/BrokerContext.h"
#include "kafka/server/Completion.h"
#include "metadata.pb.h"
#include "metadata/PartitionAssigner.h"
#include "metadata/PartitionLimit.h"

#include <QUuid>

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
    default: return fail(ErrorCode::UnknownServerError, s.toString());
    }
}

} // namespace

void TopicAdminHandler::propose(const metadata::Command &command, Done done)
{
    m_context.controller.submit(command, m_context.owner, [done = std::move(done)](metadata::ApplyResult r) {
        done(fromApply(r.status));
    });
}

void TopicAdminHandler::create(const TopicSpec &spec, bool validateOnly, Done done)
{
    const auto image = m_context.image();
    if (Status s = metadata::validateTopicName(spec.name); !s.isOk())
        return done(fail(ErrorCode::InvalidTopicException, s.message()));
    if (image->topic(spec.name))
        return done(fail(ErrorCode::TopicAlreadyExists, "topic '" + spec.name + "' already exists"));
    if (Status s = m_context.topicConfigs.validate(spec.configs); !s.isOk())
        return done(fail(ErrorCode::InvalidConfig, s.message()));

    metadata::Command command;
    auto *create = command.mutable_create_topic();
    create->set_name(spec.name);
    const QByteArray uuid = QUuid::createUuid().toRfc4122();
    create->set_topic_id(uuid.constData(), size_t(uuid.size()));
    create->mutable_configs()->insert(spec.configs.begin(), spec.configs.end());

    if (!spec.assignments.empty()) {
        if (spec.numPartitions != -1 || spec.replicationFactor != -1)
            return done(fail(ErrorCode::InvalidRequest,
                             "give either replica assignments or partition count and replication factor, not both"));
        int32_t expected = 0;
        size_t replicationFactor = spec.assignments.begin()->second.size();
        for (const auto &[partition, brokers] : spec.assignments) {
            if (partition != expected++)
                return done(fail(ErrorCode::InvalidReplicaAssignment, "replica assignments must cover partitions 0.."
                                                                        + std::to_string(spec.assignments.size() - 1)));
            if (brokers.empty() || brokers.size() != replicationFactor)
                return done(fail(ErrorCode::InvalidReplicaAssignment, "every partition needs the same, non-zero number of replicas"));
            std::set<int32_t> unique(brokers.begin(), brokers.end());
            if (unique.size() != brokers.size())
                return done(fail(ErrorCode::InvalidReplicaAssignment,
                                 "partition " + std::to_string(partition) + " lists a broker twice"));
            auto *a = create->add_partitions();
            a->set_partition(partition);
            for (int32_t b : brokers) {
                if (b < 0 || !image->broker(uint64_t(b)))
                    return done(fail(ErrorCode::InvalidReplicaAssignment, "broker " + std::to_string(b) + " is not registered"));
                a->add_replicas(uint64_t(b));
            }
        }
    } else {
        const int32_t partitions = spec.numPartitions == -1 ? m_context.config.numPartitions : spec.numPartitions;
        const int16_t replicas = spec.replicationFactor == -1 ? m_context.config.defaultReplicationFactor : spec.replicationFactor;
        if (partitions < 1)
            return done(fail(ErrorCode::InvalidPartitions, "number of partitions must be at least 1, got " + std::to_string(partitions)));
        if (partitions > 100000)
            return done(fail(ErrorCode::InvalidPartitions, "number of partitions must be at most 100000, got " + std::to_string(partitions)));
        if (replicas < 1)
            return done(fail(ErrorCode::InvalidReplicationFactor, "replication factor must be at least 1, got " + std::to_string(replicas)));
        auto layout = metadata::assignReplicas(metadata::assignableBrokers(*image), 0, partitions, replicas, metadata::rotationForTopic(spec.name));
        if (!layout.isOk())
            return done(fail(ErrorCode::InvalidReplicationFactor, layout.status().message()));
        for (int32_t p = 0; p < partitions; ++p) {
            auto *a = create->add_partitions();
            a->set_partition(p);
            for (uint64_t b : layout.value()[size_t(p)])
                a->add_replicas(b);
        }
    }
    const int64_t limit = m_context.config.maxPartitionsPerBroker;
    if (Status s = metadata::checkPartitionLimit(*image, metadata::replicaLists(create->partitions()), limit); !s.isOk())
        return done(fail(ErrorCode::PolicyViolation, "topic '" + spec.name + "': " + s.message()));
    create->set_max_partitions_per_broker(limit);
    if (validateOnly)
        return done({});
    propose(command, std::move(done));
}

void TopicAdminHandler::autoCreate(const std::string &name, Done done)
{
    TopicSpec spec;
    spec.name = name;
    create(spec, false, [done = std::move(done)](Outcome outcome) {
        done(outcome.code == ErrorCode::TopicAlreadyExists ? Outcome{} : outcome);
    });
}

void TopicAdminHandler::createInternal(const std::string &name, int32_t partitions, int16_t replicationFactor,
                                       std::map<std::string, std::string> configs, Done done)
{
    TopicSpec spec;
    spec.name = name;
    spec.numPartitions = partitions;
    spec.replicationFactor = replicationFactor;
    spec.configs = std::move(configs);
    create(spec, false, [done = std::move(done)](Outcome outcome) {
        done(outcome.code == ErrorCode::TopicAlreadyExists ? Outcome{} : outcome);
    });
}

void TopicAdminHandler::createTopics(RequestInfo info, CreateTopicsRequest request)
{
    auto response = std::make_shared<CreateTopicsResponse>();
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
        if (!seen.insert(t.name).second) {
            response->topics[index].errorCode = toWire(ErrorCode::InvalidRequest);
            response->topics[index].errorMessage = "topic '" + t.name + "' appears twice in the request";
            continue;
        }
        TopicSpec spec;
        spec.name = t.name;
        spec.numPartitions = t.numPartitions;
        spec.replicationFactor = t.replicationFactor;
        for (const auto &a : t.assignments)
            spec.assignments[a.partitionIndex] = a.brokerIds;
        for (const auto &c : t.configs)
            if (c.value)
                spec.configs[c.name] = *c.value;
        completion->add();
        create(spec, request.validateOnly, [response, index, completion](Outcome outcome) {
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
    auto completion = Completion::create([info = std::move(info), response]() mutable { info.reply(*response); });
    const auto image = m_context.image();

    // v6 names topics by name or id; earlier versions by name only.
    std::vector<DeleteTopicsRequest::Topic> topics = request.topics;
    for (const auto &name : request.topicNames)
        topics.push_back({name, {}});
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
    auto completion = Completion::create([info = std::move(info), response]() mutable { info.reply(*response); });
    const auto image = m_context.image();
    for (const auto &t : request.topics) {
        response->results.push_back({t.name, 0, std::nullopt});
        const size_t index = response->results.size() - 1;
        auto failWith = [&](ErrorCode code, std::string message) {
            response->results[index].errorCode = toWire(code);
            response->results[index].errorMessage = std::move(message);
        };
        const metadata::TopicInfo *topic = image->topic(t.name);
        if (!topic) {
            failWith(ErrorCode::UnknownTopicOrPartition, "topic '" + t.name + "' does not exist");
            continue;
        }
        const int32_t current = int32_t(topic->partitions.size());
        if (t.count <= current) {
            failWith(ErrorCode::InvalidPartitions, "topic '" + t.name + "' has " + std::to_string(current)
                                                       + " partitions; the new count must be larger, got " + std::to_string(t.count));
            continue;
        }
        const size_t replicationFactor = topic->partitions.empty() ? 1 : topic->partitions[0].replicas.size();
        metadata::Command command;
        auto *grow = command.mutable_create_partitions();
        grow->set_name(t.name);
        if (t.assignments && !t.assignments->empty()) {
            if (int32_t(t.assignments->size()) != t.count - current) {
                failWith(ErrorCode::InvalidReplicaAssignment, "expected " + std::to_string(t.count - current)
                                                                  + " assignments, got " + std::to_string(t.assignments->size()));
                continue;
            }
            bool bad = false;
            for (const auto &a : *t.assignments) {
                auto *p = grow->add_new_partitions();
                for (int32_t b : a.brokerIds) {
                    if (b < 0 || !image->broker(uint64_t(b)))
                        bad = true;
                    p->add_replicas(uint64_t(b));
                }
            }
            if (bad) {
                failWith(ErrorCode::InvalidReplicaAssignment, "an assignment names a broker that is not registered");
                continue;
            }
        } else {
            auto layout = metadata::assignReplicas(metadata::assignableBrokers(*image), current, t.count - current,
                                                   int16_t(replicationFactor), metadata::rotationForTopic(t.name));
            if (!layout.isOk()) {
                failWith(ErrorCode::InvalidReplicationFactor, layout.status().message());
                continue;
            }
            for (const auto &replicas : layout.value()) {
                auto *p = grow->add_new_partitions();
                for (uint64_t b : replicas)
                    p->add_replicas(b);
            }
        }
        const int64_t limit = m_context.config.maxPartitionsPerBroker;
        if (Status s = metadata::checkPartitionLimit(*image, metadata::replicaLists(grow->new_partitions()), limit); !s.isOk()) {
            failWith(ErrorCode::PolicyViolation, "topic '" + t.name + "': " + s.message());
            continue;
        }
        grow->set_max_partitions_per_broker(limit);
        if (request.validateOnly)
            continue;
        completion->add();
        propose(command, [response, index, completion](Outcome outcome) {
            response->results[index].errorCode = toWire(outcome.code);
            if (!outcome.ok())
                response->results[index].errorMessage = outcome.message;
            completion->finishOne();
        });
    }
    completion->arm();
}

} // namespace skiff::kafka
