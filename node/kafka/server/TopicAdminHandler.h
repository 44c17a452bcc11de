#pragma once
// CreateTopics, DeleteTopics, CreatePartitions, and topic auto-creation. The rules are the
// planner's (metadata/TopicPlanner.h); this edge maps its refusals to Kafka error codes. Changes
// are proposed to the metadata controller; a response is sent only once the change is applied,
// so a Metadata request that follows on any connection to this node already sees it.

#include "kafka/protocol/ErrorCode.h"
#include "kafka/server/RequestInfo.h"
#include "metadata/TopicPlanner.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace skiff::kafka {

struct BrokerContext;
struct CreateTopicsRequest;
struct DeleteTopicsRequest;
struct CreatePartitionsRequest;

class TopicAdminHandler {
public:
    explicit TopicAdminHandler(BrokerContext &context);

    void createTopics(RequestInfo info, CreateTopicsRequest request);
    void deleteTopics(RequestInfo info, DeleteTopicsRequest request);
    void createPartitions(RequestInfo info, CreatePartitionsRequest request);

    // An error code with the message an operator or client developer can act on.
    struct Outcome {
        ErrorCode code = ErrorCode::None;
        std::string message;
        bool ok() const { return code == ErrorCode::None; }
    };
    using Done = std::function<void(Outcome)>;

    // Creates `name` with the broker defaults (auto.create.topics.enable); `done` gets None when
    // the topic exists afterwards (created by us or by someone else meanwhile).
    void autoCreate(const std::string &name, Done done);
    // Creates an internal topic (e.g. __consumer_offsets) with the given layout and configs;
    // `done` gets None when it exists afterwards.
    void createInternal(const std::string &name, int32_t partitions, int16_t replicationFactor,
                        std::map<std::string, std::string> configs, Done done);

    // The Kafka error code of a planner's refusal.
    static ErrorCode errorCodeOf(metadata::TopicRefusal reason);

    // The node's topic rules, for edges that plan other topic changes (config changes).
    const metadata::TopicPolicy &policy() const { return m_policy; }
    // Answers a plan's refusal, or (unless validateOnly) proposes its command; `done` runs on the
    // Kafka thread once the command is applied.
    void carryOut(const metadata::TopicPlan &plan, bool validateOnly, Done done);

private:
    // Plans and proposes one topic; `done` runs on the Kafka thread.
    void create(const metadata::NewTopic &topic, bool validateOnly, Done done);
    void propose(const metadata::Command &command, Done done);

    BrokerContext &m_context;
    const metadata::TopicPolicy m_policy;
};


} // namespace skiff::kafka
