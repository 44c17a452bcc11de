#include "kafka/server/ElectLeadersHandler.h"

#include "kafka/protocol/ErrorCode.h"
#include "kafka/protocol/messages/ElectLeaders.h"
#include "kafka/server/BrokerContext.h"
#include "metadata/LeaderElections.h"

#include <algorithm>
#include <memory>

namespace skiff::kafka {
namespace {

using metadata::ElectionOutcome;

ErrorCode errorCodeOf(ElectionOutcome outcome)
{
    switch (outcome) {
    case ElectionOutcome::Elected: return ErrorCode::None;
    case ElectionOutcome::NotNeeded: return ErrorCode::ElectionNotNeeded;
    case ElectionOutcome::PreferredNotAvailable: return ErrorCode::PreferredLeaderNotAvailable;
    case ElectionOutcome::EligibleNotAvailable: return ErrorCode::EligibleLeadersNotAvailable;
    case ElectionOutcome::UnknownPartition: return ErrorCode::UnknownTopicOrPartition;
    case ElectionOutcome::Failed: return ErrorCode::UnknownServerError;
    }
    return ErrorCode::UnknownServerError;
}

// Results grouped by topic, in the order the topics first appear (Kafka answers per topic).
ElectLeadersResponse responseOf(const metadata::ElectionPlan &plan)
{
    ElectLeadersResponse response;
    for (const metadata::PartitionElection &r : plan.results) {
        auto &topics = response.replicaElectionResults;
        auto it = std::find_if(topics.begin(), topics.end(), [&](const auto &t) { return t.topic == r.topic; });
        if (it == topics.end())
            it = topics.insert(topics.end(), {r.topic, {}});
        std::optional<std::string> message;
        if (r.outcome != ElectionOutcome::Elected)
            message = r.message;
        it->partitionResult.push_back({r.partition, toWire(errorCodeOf(r.outcome)), std::move(message)});
    }
    return response;
}

} // namespace

void ElectLeadersHandler::handle(RequestInfo info, const ElectLeadersRequest &request)
{
    const auto type = request.electionType == ElectLeadersRequest::kUnclean ? metadata::ELECTION_UNCLEAN
                                                                            : metadata::ELECTION_PREFERRED;
    if (!m_context.authorizer.allowsCluster(info, *m_context.image(), metadata::AclOperation::Alter)) {
        ElectLeadersResponse refused;
        refused.errorCode = toWire(ErrorCode::ClusterAuthorizationFailed);
        return info.reply(refused);
    }
    if (request.electionType != ElectLeadersRequest::kPreferred && request.electionType != ElectLeadersRequest::kUnclean) {
        ElectLeadersResponse refused;
        refused.errorCode = toWire(ErrorCode::InvalidRequest);
        return info.reply(refused);
    }
    std::optional<std::vector<metadata::ElectionTarget>> targets;
    if (request.topicPartitions) {
        targets.emplace();
        for (const auto &t : *request.topicPartitions)
            for (int32_t p : t.partitions)
                targets->push_back({t.topic, p});
    }
    auto plan = std::make_shared<metadata::ElectionPlan>(metadata::planElections(*m_context.image(), type, targets));
    if (!plan->command)
        return info.reply(responseOf(*plan));
    m_context.controller.submit(*plan->command, m_context.owner,
                                [this, info = std::move(info), plan, type](metadata::ApplyResult r) mutable {
                                    metadata::settleElections(*plan, *m_context.image(), type, r.status);
                                    info.reply(responseOf(*plan));
                                });
}

} // namespace skiff::kafka
