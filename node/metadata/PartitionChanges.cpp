#include "metadata/PartitionChanges.h"

#include "metadata.pb.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace skiff::metadata {
namespace {

using std::to_string;

bool contains(const std::vector<uint64_t> &ids, uint64_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string idList(const std::vector<uint64_t> &ids)
{
    std::string out = "[";
    for (uint64_t id : ids)
        out += (out.size() > 1 ? "," : "") + to_string(id);
    return out + "]";
}

AlterPartitionDecision refuse(AlterPartitionOutcome outcome, std::string message)
{
    return {outcome, std::move(message), {}};
}

ChangedPartition changedOf(const std::string &topic, const PartitionInfo &before, const PartitionInfo &after)
{
    return {topic, after.partition, before.leader, after.leader, before.isr, after.isr};
}

} // namespace

bool uncleanElectionEnabled(const TopicInfo &topic)
{
    auto it = topic.configs.find(kUncleanLeaderElectionConfig);
    if (it == topic.configs.end())
        return false;
    std::string value = it->second;   // Kafka parses booleans ignoring case
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return value == "true";
}

const char *alterPartitionOutcomeName(AlterPartitionOutcome outcome)
{
    switch (outcome) {
    case AlterPartitionOutcome::Ok: return "NONE";
    case AlterPartitionOutcome::StaleBrokerEpoch: return "STALE_BROKER_EPOCH";
    case AlterPartitionOutcome::UnknownTopicOrPartition: return "UNKNOWN_TOPIC_OR_PARTITION";
    case AlterPartitionOutcome::NotController: return "NOT_CONTROLLER";
    case AlterPartitionOutcome::FencedLeaderEpoch: return "FENCED_LEADER_EPOCH";
    case AlterPartitionOutcome::InvalidRequest: return "INVALID_REQUEST";
    case AlterPartitionOutcome::InvalidUpdateVersion: return "INVALID_UPDATE_VERSION";
    case AlterPartitionOutcome::IneligibleReplica: return "INELIGIBLE_REPLICA";
    }
    return "UNKNOWN";
}

bool isAcceptableReplica(const MetadataImage &image, uint64_t broker)
{
    const BrokerInfo *b = image.broker(broker);
    return b && !b->fenced && !b->inControlledShutdown;
}

bool applyChange(PartitionInfo &partition, const PartitionChange &change)
{
    bool changed = false;
    if (change.leader && *change.leader != partition.leader) {
        partition.leader = *change.leader;
        ++partition.leaderEpoch;
        changed = true;
    }
    if (change.isr && *change.isr != partition.isr) {
        partition.isr = *change.isr;
        changed = true;
    }
    if (change.leaderRecovery && *change.leaderRecovery != partition.leaderRecovery) {
        partition.leaderRecovery = *change.leaderRecovery;
        changed = true;
    }
    if (changed)
        ++partition.partitionEpoch;
    return changed;
}

Election electLeader(const MetadataImage &image, const PartitionInfo &partition, const std::vector<uint64_t> &isr,
                     bool allowUnclean)
{
    auto canLead = [&](uint64_t r) { return isAcceptableReplica(image, r) && !contains(partition.offlineReplicas, r); };
    if (partition.leader != 0 && contains(isr, partition.leader) && canLead(partition.leader))
        return {partition.leader, false};
    for (uint64_t r : partition.replicas)
        if (contains(isr, r) && canLead(r))
            return {r, false};
    if (allowUnclean)
        for (uint64_t r : partition.replicas)
            if (canLead(r))
                return {r, true};
    return {};
}

namespace {

// The change that makes `election` the partition's leader with ISR `isr`.
PartitionChange electedChange(const PartitionInfo &partition, std::vector<uint64_t> isr, const Election &election)
{
    PartitionChange change;
    change.leader = election.leader;
    if (election.unclean) {
        change.isr = std::vector<uint64_t>{election.leader};
        change.leaderRecovery = LeaderRecovery::Recovering;
    } else if (isr != partition.isr) {
        change.isr = std::move(isr);
    }
    return change;
}

} // namespace

PartitionChange withoutBroker(const MetadataImage &image, const PartitionInfo &partition, uint64_t broker, bool allowUnclean)
{
    std::vector<uint64_t> isr = partition.isr;
    isr.erase(std::remove(isr.begin(), isr.end(), broker), isr.end());
    if (isr.empty())
        isr = partition.isr;   // the last member stays: the partition waits for it
    if (partition.leader != broker) {
        PartitionChange change;
        if (isr != partition.isr)
            change.isr = std::move(isr);
        return change;
    }
    const Election election = electLeader(image, partition, isr, allowUnclean);
    return electedChange(partition, std::move(isr), election);
}

PartitionChange withoutStorageOf(const MetadataImage &image, const PartitionInfo &partition, uint64_t broker)
{
    // The departure rule of a fenced broker (its log offline, electLeader passes it over), except
    // that a leader no one else can replace stays (see the header).
    PartitionChange change = withoutBroker(image, partition, broker, false);
    if (change.leader && *change.leader == 0)
        return {};
    return change;
}

PartitionChange electIfLeaderless(const MetadataImage &image, const PartitionInfo &partition, bool allowUnclean)
{
    if (partition.leader != 0)
        return {};
    const Election election = electLeader(image, partition, partition.isr, allowUnclean);
    if (election.leader == 0)
        return {};
    return electedChange(partition, partition.isr, election);
}

PartitionChange electPreferred(const MetadataImage &image, const PartitionInfo &partition)
{
    if (partition.replicas.empty())
        return {};
    const uint64_t preferred = partition.replicas.front();
    if (partition.leader == preferred || !contains(partition.isr, preferred) || !isAcceptableReplica(image, preferred))
        return {};
    PartitionChange change;
    change.leader = preferred;
    return change;
}

AlterPartitionDecision validateAlterPartition(const MetadataImage &image, const AlterPartition &request)
{
    using O = AlterPartitionOutcome;
    const std::string where = "AlterPartition from broker " + to_string(request.broker_id()) + " for "
                              + request.topic() + "-" + to_string(request.partition());
    const BrokerInfo *sender = image.broker(request.broker_id());
    if (!sender || sender->brokerEpoch != request.broker_epoch())
        return refuse(O::StaleBrokerEpoch,
                      where + ": broker epoch " + to_string(request.broker_epoch()) + " is not the registration's ("
                          + (sender ? to_string(sender->brokerEpoch) : std::string("not registered"))
                          + "); it comes from an earlier process of that broker");

    const TopicInfo *topic = image.topic(request.topic());
    if (!topic || !sameUuid(topic->id, request.topic_id()) || request.partition() < 0
        || request.partition() >= int32_t(topic->partitions.size()))
        return refuse(O::UnknownTopicOrPartition, where + ": no such partition (the topic was deleted or recreated?)");
    const PartitionInfo &p = topic->partitions[size_t(request.partition())];
    const std::string epochs = " (request: leader epoch " + to_string(request.leader_epoch()) + ", partition epoch "
                               + to_string(request.partition_epoch()) + "; image: " + to_string(p.leaderEpoch) + ", "
                               + to_string(p.partitionEpoch) + ")";

    if (request.leader_epoch() > p.leaderEpoch || request.partition_epoch() > p.partitionEpoch)
        return refuse(O::NotController, where + ": epochs newer than the controller's" + epochs);
    if (request.leader_epoch() < p.leaderEpoch)
        return refuse(O::FencedLeaderEpoch, where + ": the leader epoch is stale" + epochs);
    if (request.broker_id() != p.leader)
        return refuse(O::InvalidRequest, where + ": broker " + to_string(request.broker_id())
                                             + " is not the leader (" + to_string(p.leader) + ")");
    if (request.partition_epoch() < p.partitionEpoch)
        return refuse(O::InvalidUpdateVersion, where + ": the partition epoch is stale" + epochs);

    std::vector<uint64_t> asked;
    for (const IsrMember &m : request.new_isr())
        asked.push_back(m.broker_id());
    if (std::set<uint64_t>(asked.begin(), asked.end()).size() != asked.size())
        return refuse(O::InvalidRequest, where + ": ISR " + idList(asked) + " names a broker twice");
    for (uint64_t id : asked)
        if (!contains(p.replicas, id))
            return refuse(O::InvalidRequest, where + ": ISR " + idList(asked) + " names broker " + to_string(id)
                                                 + ", not a replica " + idList(p.replicas));
    if (!contains(asked, p.leader))
        return refuse(O::InvalidRequest, where + ": ISR " + idList(asked) + " leaves out the leader");
    const LeaderRecovery recovery = request.leader_recovered() ? LeaderRecovery::Recovered : p.leaderRecovery;
    if (recovery == LeaderRecovery::Recovering && asked.size() > 1)
        return refuse(O::InvalidRequest, where + ": the leader is recovering from an unclean election; its ISR is "
                                                 "itself alone until it says it has recovered");

    for (const IsrMember &m : request.new_isr()) {
        const BrokerInfo *b = image.broker(m.broker_id());
        std::string why;
        if (!b)
            why = "is not registered";
        else if (b->fenced)
            why = "is fenced";
        else if (b->inControlledShutdown)
            why = "is shutting down";
        else if (m.broker_epoch() != b->brokerEpoch && !(m.broker_id() == p.leader && m.broker_epoch() == -1))
            why = "has broker epoch " + to_string(b->brokerEpoch) + ", not " + to_string(m.broker_epoch())
                  + " (it restarted since)";
        else if (!contains(p.isr, m.broker_id()) && contains(p.offlineReplicas, m.broker_id()))
            why = "reported the partition's log offline (it cannot write it), so it cannot join the ISR";
        if (!why.empty())
            return refuse(O::IneligibleReplica, where + ": broker " + to_string(m.broker_id()) + " " + why);
    }

    AlterPartitionDecision ok;
    std::vector<uint64_t> isr;
    for (uint64_t r : p.replicas)   // one order for every ISR: the replicas'
        if (contains(asked, r))
            isr.push_back(r);
    ok.change.isr = std::move(isr);
    ok.change.leaderRecovery = recovery;
    return ok;
}

std::vector<ChangedPartition> changePartitions(MetadataImage &image,
                                               const std::function<PartitionChange(const TopicInfo &, const PartitionInfo &)> &decide)
{
    std::vector<std::pair<std::string, std::vector<std::pair<size_t, PartitionChange>>>> decided;
    for (const auto &[name, topic] : image.topics) {
        std::vector<std::pair<size_t, PartitionChange>> changes;
        for (size_t i = 0; i < topic->partitions.size(); ++i) {
            PartitionChange c = decide(*topic, topic->partitions[i]);
            if (c.leader || c.isr || c.leaderRecovery)
                changes.emplace_back(i, std::move(c));
        }
        if (!changes.empty())
            decided.emplace_back(name, std::move(changes));
    }
    std::vector<ChangedPartition> out;
    for (auto &[name, changes] : decided) {
        auto copy = std::make_shared<TopicInfo>(*image.topics.at(name));   // copy on write
        bool any = false;
        for (const auto &[i, c] : changes) {
            const PartitionInfo before = copy->partitions[i];
            if (applyChange(copy->partitions[i], c)) {
                out.push_back(changedOf(name, before, copy->partitions[i]));
                any = true;
            }
        }
        if (any)
            image.topics[name] = std::move(copy);
    }
    return out;
}

std::optional<ChangedPartition> changePartition(MetadataImage &image, const std::string &topic, int32_t partition,
                                                const PartitionChange &change)
{
    auto copy = std::make_shared<TopicInfo>(*image.topics.at(topic));
    const PartitionInfo before = copy->partitions.at(size_t(partition));
    if (!applyChange(copy->partitions[size_t(partition)], change))
        return std::nullopt;
    ChangedPartition out = changedOf(topic, before, copy->partitions[size_t(partition)]);
    image.topics[topic] = std::move(copy);
    return out;
}

} // namespace skiff::metadata
