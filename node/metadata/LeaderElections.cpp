#include "metadata/LeaderElections.h"

#include "metadata/PartitionChanges.h"

namespace skiff::metadata {
namespace {

// A partition below 0 stands for a whole topic (an operator named one that does not exist).
std::string where(const std::string &topic, int32_t partition)
{
    return partition < 0 ? "topic '" + topic + "'" : topic + "-" + std::to_string(partition);
}

std::string explain(ElectionOutcome outcome, ElectionType type, const std::string &topic, int32_t partition)
{
    switch (outcome) {
    case ElectionOutcome::Elected: return {};
    case ElectionOutcome::NotNeeded:
        return type == ELECTION_PREFERRED ? where(topic, partition) + " is led by its preferred replica already"
                                          : where(topic, partition) + " has a leader";
    case ElectionOutcome::PreferredNotAvailable:
        return "the preferred replica of " + where(topic, partition)
               + " is not in the ISR or its broker is fenced or shutting down; it can lead once it has caught up";
    case ElectionOutcome::EligibleNotAvailable:
        return "no live replica of " + where(topic, partition) + " can lead; start one of its brokers";
    case ElectionOutcome::UnknownPartition: return where(topic, partition) + " does not exist";
    case ElectionOutcome::Failed: return "the election of " + where(topic, partition) + " was not applied";
    }
    return {};
}

PartitionElection resultOf(ElectionOutcome outcome, ElectionType type, const std::string &topic, int32_t partition)
{
    return {topic, partition, outcome, explain(outcome, type, topic, partition)};
}

const PartitionInfo *findPartition(const MetadataImage &image, const std::string &topic, int32_t partition)
{
    const TopicInfo *t = image.topic(topic);
    if (!t || partition < 0 || partition >= int32_t(t->partitions.size()))
        return nullptr;
    return &t->partitions[size_t(partition)];
}

void propose(Command &command, ElectionType type, const TopicInfo &topic, int32_t partition)
{
    auto *elect = command.mutable_elect_leaders();
    elect->set_type(type);
    auto *ref = elect->add_partitions();
    ref->set_topic(topic.name);
    ref->set_topic_id(uuidBytes(topic.id));
    ref->set_partition(partition);
}

} // namespace

const char *electionOutcomeName(ElectionOutcome outcome)
{
    switch (outcome) {
    case ElectionOutcome::Elected: return "NONE";
    case ElectionOutcome::NotNeeded: return "ELECTION_NOT_NEEDED";
    case ElectionOutcome::PreferredNotAvailable: return "PREFERRED_LEADER_NOT_AVAILABLE";
    case ElectionOutcome::EligibleNotAvailable: return "ELIGIBLE_LEADERS_NOT_AVAILABLE";
    case ElectionOutcome::UnknownPartition: return "UNKNOWN_TOPIC_OR_PARTITION";
    case ElectionOutcome::Failed: return "UNKNOWN_SERVER_ERROR";
    }
    return "UNKNOWN_SERVER_ERROR";
}

ElectionOutcome electionOutcome(const MetadataImage &image, const TopicInfo &, const PartitionInfo &partition,
                                ElectionType type)
{
    if (type == ELECTION_PREFERRED) {
        if (!partition.replicas.empty() && partition.leader == partition.replicas.front())
            return ElectionOutcome::NotNeeded;
        return electPreferred(image, partition).leader ? ElectionOutcome::Elected : ElectionOutcome::PreferredNotAvailable;
    }
    if (partition.leader != 0)
        return ElectionOutcome::NotNeeded;
    return electIfLeaderless(image, partition, true).leader ? ElectionOutcome::Elected : ElectionOutcome::EligibleNotAvailable;
}

ElectionPlan planElections(const MetadataImage &image, ElectionType type, const std::optional<std::vector<ElectionTarget>> &targets)
{
    ElectionPlan plan;
    Command command;
    auto consider = [&](const TopicInfo &topic, const PartitionInfo &p, bool keepNotNeeded) {
        const ElectionOutcome outcome = electionOutcome(image, topic, p, type);
        if (outcome == ElectionOutcome::NotNeeded && !keepNotNeeded)
            return;
        plan.results.push_back(resultOf(outcome, type, topic.name, p.partition));
        if (outcome == ElectionOutcome::Elected)
            propose(command, type, topic, p.partition);
    };
    if (!targets) {
        for (const auto &[name, topic] : image.topics)
            for (const PartitionInfo &p : topic->partitions)
                consider(*topic, p, false);
    } else {
        for (const ElectionTarget &t : *targets) {
            if (const PartitionInfo *p = findPartition(image, t.topic, t.partition))
                consider(*image.topic(t.topic), *p, true);
            else
                plan.results.push_back(resultOf(ElectionOutcome::UnknownPartition, type, t.topic, t.partition));
        }
    }
    if (command.has_elect_leaders())
        plan.command = std::move(command);
    return plan;
}

void settleElections(ElectionPlan &plan, const MetadataImage &after, ElectionType type, const Status &applied)
{
    for (PartitionElection &r : plan.results) {
        if (r.outcome != ElectionOutcome::Elected)
            continue;
        const PartitionInfo *p = findPartition(after, r.topic, r.partition);
        if (!p) {
            r = resultOf(ElectionOutcome::UnknownPartition, type, r.topic, r.partition);
            continue;
        }
        if (!applied.isOk()) {
            r = resultOf(ElectionOutcome::Failed, type, r.topic, r.partition);
            r.message += ": " + applied.message();
            continue;
        }
        // Applied: the partition has the leader it was asked for, unless the image changed
        // between the plan and the apply (a broker fenced meanwhile).
        const ElectionOutcome now = electionOutcome(after, *after.topic(r.topic), *p, type);
        r = now == ElectionOutcome::NotNeeded ? resultOf(ElectionOutcome::Elected, type, r.topic, r.partition)
                                              : resultOf(now == ElectionOutcome::Elected ? ElectionOutcome::Failed : now,
                                                         type, r.topic, r.partition);
    }
}

} // namespace skiff::metadata
