#pragma once
// CreateTopics, DeleteTopics, CreatePartitions, and topic auto-creation. Changes are proposed to
// the metadata controller; a response is sent only once the change is applied, so a Metadata
// request that follows on any connection to this node already sees it.

#include "kafka/protocol/ErrorCode.h"
#include "kafka/server/RequestInfo.h"

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace skiff::metadata {
class Command;
}

namespace skiff::kafka {

struct BrokerContext;
struct CreateTopicsRequest;
struct DeleteTopicsRequest;
struct CreatePartitionsRequest;

class TopicAdminHandler {
public:
    explicit TopicAdminHandler(BrokerContext &context) : m_context(context) {}

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

private:
    struct TopicSpec {
        std::string name;
        int32_t numPartitions = -1;
        int16_t replicationFactor = -1;
        std::map<int32_t, std::vector<int32_t>> assignments;
        std::map<std::string, std::string> configs;
    };
    // Validates and proposes one topic; `done` runs on the Kafka thread.
    void create(const TopicSpec &spec, bool validateOnly, Done done);
    void propose(const metadata::Command &command, Done done);

    BrokerContext &m_context;
};


} // namespace skiff::kafka
