#include "metadata/MetadataStateMachine.h"

#include "metadata.pb.h"
#include "metadata/BrokerEndpoints.h"
#include "metadata/PartitionLimit.h"

#include <algorithm>
#include <map>

namespace skiff::metadata {
namespace {

PartitionInfo partitionFrom(const PartitionAssignment &a)
{
    PartitionInfo p;
    p.partition = a.partition();
    p.replicas.assign(a.replicas().begin(), a.replicas().end());
    p.isr = p.replicas;
    p.leader = p.replicas.empty() ? 0 : p.replicas.front();
    return p;
}

// Copy-on-write of one topic: the image shares every untouched topic with its predecessor.
std::shared_ptr<TopicInfo> mutableTopic(MetadataImage &image, const std::string &name)
{
    auto it = image.topics.find(name);
    if (it == image.topics.end())
        return nullptr;
    auto copy = std::make_shared<TopicInfo>(*it->second);
    it->second = copy;
    return copy;
}

bool contains(const std::vector<uint64_t> &ids, uint64_t id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The topic `name`, copied at most once per command however many of its partitions change.
class TopicCopies {
public:
    explicit TopicCopies(MetadataImage &image) : m_image(image) {}
    TopicInfo &of(const std::string &name)
    {
        auto &copy = m_copies[name];
        if (!copy)
            copy = mutableTopic(m_image, name);
        return *copy;
    }

private:
    MetadataImage &m_image;
    std::map<std::string, std::shared_ptr<TopicInfo>> m_copies;
};

// A broker's new process (or its removal) voids what the old one reported about its logs.
void clearOfflineMarks(MetadataImage &image, uint64_t broker)
{
    TopicCopies copies(image);
    std::vector<std::pair<std::string, size_t>> marked;
    for (const auto &[name, topic] : image.topics)
        for (size_t i = 0; i < topic->partitions.size(); ++i)
            if (contains(topic->partitions[i].offlineReplicas, broker))
                marked.emplace_back(name, i);
    for (const auto &[name, i] : marked) {
        auto &offline = copies.of(name).partitions[i].offlineReplicas;
        offline.erase(std::remove(offline.begin(), offline.end(), broker), offline.end());
    }
}

// The rule SetOfflineReplicas applies (MetadataImage::replicaOn), which the reporting broker uses
// too, so that a report once applied leaves nothing to report.
const PartitionInfo *reportedPartition(const MetadataImage &image, const ReplicaRef &ref, uint64_t broker)
{
    Uuid id{};
    if (ref.topic_id().size() != id.size())
        return nullptr;
    std::copy(ref.topic_id().begin(), ref.topic_id().end(), reinterpret_cast<char *>(id.data()));
    return image.replicaOn(ref.topic(), id, ref.partition(), broker);
}

// The partition `ref` names, if its topic still has that id.
const PartitionInfo *referencedPartition(const MetadataImage &image, const ReplicaRef &ref)
{
    const TopicInfo *t = image.topic(ref.topic());
    if (!t || !sameUuid(t->id, ref.topic_id()) || ref.partition() < 0 || ref.partition() >= int32_t(t->partitions.size()))
        return nullptr;
    return &t->partitions[size_t(ref.partition())];
}

// `broker` can no longer lead or be in an ISR (fenced, removed, shutting down; the image says so).
ApplyResult brokerLeft(MetadataImage &image, uint64_t broker)
{
    return {Status::ok(), 0, changePartitions(image, [&](const TopicInfo &t, const PartitionInfo &p) {
                return contains(p.isr, broker) || p.leader == broker ? withoutBroker(image, p, broker, uncleanElectionEnabled(t))
                                                                     : PartitionChange{};
            })};
}

// `broker` can lead again: its leaderless partitions elect.
ApplyResult brokerBecameLive(MetadataImage &image, uint64_t broker)
{
    return {Status::ok(), 0, changePartitions(image, [&](const TopicInfo &t, const PartitionInfo &p) {
                return contains(p.replicas, broker) ? electIfLeaderless(image, p, uncleanElectionEnabled(t)) : PartitionChange{};
            })};
}

ApplyResult refusedAlterPartition(const AlterPartitionDecision &d)
{
    using O = AlterPartitionOutcome;
    const StatusCode code = d.outcome == O::UnknownTopicOrPartition ? StatusCode::NotFound
                            : d.outcome == O::InvalidRequest        ? StatusCode::InvalidArgument
                            : d.outcome == O::NotController         ? StatusCode::Unavailable
                                                                    : StatusCode::FailedPrecondition;
    return {Status(code, std::string(alterPartitionOutcomeName(d.outcome)) + ": " + d.message), uint64_t(d.outcome), {}};
}

ApplyResult electLeaders(MetadataImage &image, const ElectLeaders &c)
{
    const bool preferred = c.type() == ELECTION_PREFERRED;
    auto decide = [&](const PartitionInfo &p) { return preferred ? electPreferred(image, p) : electIfLeaderless(image, p, true); };
    ApplyResult result;
    if (c.partitions().empty()) {   // Kafka: no list means every partition
        result.changed = changePartitions(image, [&](const TopicInfo &, const PartitionInfo &p) { return decide(p); });
    } else {
        for (const ReplicaRef &ref : c.partitions())
            if (!referencedPartition(image, ref))
                return {notFound("ElectLeaders: " + ref.topic() + "-" + std::to_string(ref.partition())
                                 + " does not exist (the topic was deleted or recreated?); nothing elected")};
        for (const ReplicaRef &ref : c.partitions())
            if (auto changed = changePartition(image, ref.topic(), ref.partition(), decide(*referencedPartition(image, ref))))
                result.changed.push_back(std::move(*changed));
    }
    result.value = uint64_t(std::count_if(result.changed.begin(), result.changed.end(),
                                          [](const ChangedPartition &p) { return p.oldLeader != p.newLeader; }));
    return result;
}

} // namespace

MetadataStateMachine::MetadataStateMachine() : m_image(std::make_shared<MetadataImage>()) {}

ApplyResult MetadataStateMachine::apply(uint64_t index, const Command &command)
{
    auto next = std::make_shared<MetadataImage>(*m_image);
    ApplyResult result = applyTo(*next, index, command);
    next->appliedIndex = index;
    m_image = std::move(next);
    return result;
}

ApplyResult MetadataStateMachine::applyTo(MetadataImage &next, uint64_t index, const Command &command)
{
    switch (command.command_case()) {
    case Command::kRegisterBroker: {
        const auto &c = command.register_broker();
        auto endpoints = endpointsFromProto(c.endpoints());
        if (!endpoints.isOk())
            return {endpoints.status()};
        // One live process per broker id: a second process claiming the id of an unfenced
        // broker is a config mistake (two nodes with one node.id) or a restart that came back
        // before its predecessor's session timed out; either way it waits for the fence.
        if (auto it = next.brokers.find(c.broker_id()); it != next.brokers.end() && !it->second.fenced
            && it->second.incarnationId != c.incarnation_id())
            return {failedPrecondition("broker id " + std::to_string(c.broker_id()) + " is registered by a live process (incarnation "
                                       + it->second.incarnationId + ", Kafka address " + it->second.kafkaHost + ":"
                                       + std::to_string(it->second.kafkaPort)
                                       + "); it is accepted once that one is fenced (broker.session.timeout.ms)"
                                       + " or, if two nodes share this node.id, give each its own")};
        auto known = next.brokers.find(c.broker_id());
        const bool newIncarnation = known == next.brokers.end() || known->second.incarnationId != c.incarnation_id();
        if (known != next.brokers.end() && newIncarnation)
            clearOfflineMarks(next, c.broker_id());
        BrokerInfo &b = next.brokers[c.broker_id()];
        if (newIncarnation) {   // a duplicate registration of the same process keeps its epoch
            b.brokerEpoch = int64_t(index);
            b.inControlledShutdown = false;
        }
        b.id = c.broker_id();
        b.incarnationId = c.incarnation_id();
        b.kafkaHost = c.kafka_host();
        b.kafkaPort = static_cast<uint16_t>(c.kafka_port());
        b.rack = c.rack();
        b.adminAddress = c.admin_address();
        b.raftAddress = c.raft_address();
        b.fenced = false;
        b.endpoints = std::move(endpoints.value());
        return brokerBecameLive(next, c.broker_id());
    }
    case Command::kFenceBroker:
    case Command::kUnfenceBroker: {
        const bool fence = command.has_fence_broker();
        const uint64_t id = fence ? command.fence_broker().broker_id() : command.unfence_broker().broker_id();
        const std::string &incarnation = fence ? command.fence_broker().incarnation_id() : command.unfence_broker().incarnation_id();
        auto it = next.brokers.find(id);
        if (it == next.brokers.end())
            return {notFound("broker " + std::to_string(id) + " is not registered")};
        if (!incarnation.empty() && it->second.incarnationId != incarnation)
            return {failedPrecondition("broker " + std::to_string(id) + " has restarted since (incarnation "
                                       + it->second.incarnationId + ")")};
        it->second.fenced = fence;
        return fence ? brokerLeft(next, id) : brokerBecameLive(next, id);
    }
    case Command::kRemoveBroker:
        if (next.brokers.erase(command.remove_broker().broker_id()) == 0)
            return {notFound("broker " + std::to_string(command.remove_broker().broker_id()) + " is not registered")};
        clearOfflineMarks(next, command.remove_broker().broker_id());
        return brokerLeft(next, command.remove_broker().broker_id());
    case Command::kControlledShutdown: {
        const auto &c = command.controlled_shutdown();
        auto it = next.brokers.find(c.broker_id());
        if (it == next.brokers.end())
            return {notFound("broker " + std::to_string(c.broker_id()) + " is not registered")};
        if (it->second.brokerEpoch != c.broker_epoch())
            return {failedPrecondition("controlled shutdown of broker " + std::to_string(c.broker_id()) + " with broker epoch "
                                       + std::to_string(c.broker_epoch()) + ", but its registration's is "
                                       + std::to_string(it->second.brokerEpoch) + ": asked by an earlier process")};
        it->second.inControlledShutdown = true;
        return brokerLeft(next, c.broker_id());
    }
    case Command::kCreateTopic: {
        const auto &c = command.create_topic();
        if (next.topics.count(c.name()))
            return {alreadyExists("topic '" + c.name() + "' already exists")};
        if (c.partitions().empty())
            return {invalidArgument("topic '" + c.name() + "' needs at least one partition")};
        if (Status s = checkPartitionLimit(next, replicaLists(c.partitions()), c.max_partitions_per_broker()); !s.isOk())
            return {s.withContext("topic '" + c.name() + "'")};
        auto topic = std::make_shared<TopicInfo>();
        topic->name = c.name();
        std::copy_n(c.topic_id().begin(), std::min<size_t>(16, c.topic_id().size()), topic->id.begin());
        for (const auto &a : c.partitions())
            topic->partitions.push_back(partitionFrom(a));
        for (int i = 0; i < int(topic->partitions.size()); ++i)
            topic->partitions[i].partition = i;
        topic->configs.insert(c.configs().begin(), c.configs().end());
        next.topics[c.name()] = std::move(topic);
        return {};
    }
    case Command::kDeleteTopic:
        if (next.topics.erase(command.delete_topic().name()) == 0)
            return {notFound("topic '" + command.delete_topic().name() + "' does not exist")};
        return {};
    case Command::kCreatePartitions: {
        const auto &c = command.create_partitions();
        const TopicInfo *current = next.topic(c.name());
        if (!current || (!c.topic_id().empty() && !sameUuid(current->id, c.topic_id())))
            return {notFound("topic '" + c.name() + "' does not exist" + (current ? " any more (deleted and created again)" : ""))};
        const int32_t count = int32_t(current->partitions.size());
        if (!c.new_partitions().empty() && c.new_partitions(0).partition() != count)
            return {outOfRange("topic '" + c.name() + "' has " + std::to_string(count) + " partitions now, not the "
                               + std::to_string(c.new_partitions(0).partition())
                               + " this request was planned for (another request changed it meanwhile); ask again "
                                 "for the total wanted")};
        if (Status s = checkPartitionLimit(next, replicaLists(c.new_partitions()), c.max_partitions_per_broker()); !s.isOk())
            return {s.withContext("topic '" + c.name() + "'")};
        auto topic = mutableTopic(next, c.name());
        for (const auto &a : c.new_partitions()) {
            PartitionInfo p = partitionFrom(a);
            p.partition = static_cast<int32_t>(topic->partitions.size());
            topic->partitions.push_back(std::move(p));
        }
        return {};
    }
    case Command::kAlterTopicConfig: {
        const auto &c = command.alter_topic_config();
        auto topic = mutableTopic(next, c.name());
        if (!topic)
            return {notFound("topic '" + c.name() + "' does not exist")};
        for (const auto &[k, v] : c.set())
            topic->configs[k] = v;
        for (const auto &k : c.remove())
            topic->configs.erase(k);
        if (!uncleanElectionEnabled(*topic))
            return {};
        // Turned on (or kept on): a partition that waits for its last ISR member takes a live replica now.
        return {Status::ok(), 0, changePartitions(next, [&](const TopicInfo &t, const PartitionInfo &p) {
                    return t.name == c.name() ? electIfLeaderless(next, p, true) : PartitionChange{};
                })};
    }
    case Command::kAlterPartition: {
        const AlterPartitionDecision decision = validateAlterPartition(next, command.alter_partition());
        if (decision.outcome != AlterPartitionOutcome::Ok)
            return refusedAlterPartition(decision);
        ApplyResult result{Status::ok(), uint64_t(AlterPartitionOutcome::Ok), {}};
        const auto &c = command.alter_partition();
        if (auto changed = changePartition(next, c.topic(), c.partition(), decision.change))
            result.changed.push_back(std::move(*changed));
        return result;
    }
    case Command::kElectLeaders:
        return electLeaders(next, command.elect_leaders());
    case Command::kSetOfflineReplicas: {
        const auto &c = command.set_offline_replicas();
        auto broker = next.brokers.find(c.broker_id());
        if (broker == next.brokers.end())
            return {notFound("broker " + std::to_string(c.broker_id()) + " is not registered")};
        if (broker->second.incarnationId != c.incarnation_id())
            return {failedPrecondition("broker " + std::to_string(c.broker_id()) + " has restarted since (incarnation "
                                       + broker->second.incarnationId + "); its new process reports its own logs")};
        std::vector<std::pair<std::string, int32_t>> wentOffline, cameBack;
        {
            TopicCopies copies(next);
            for (bool offline : {true, false}) {
                for (const auto &ref : offline ? c.offline() : c.online()) {
                    // A topic deleted or recreated meanwhile, or a reassigned partition: nothing to mark.
                    const PartitionInfo *p = reportedPartition(next, ref, c.broker_id());
                    if (!p || contains(p->offlineReplicas, c.broker_id()) == offline)
                        continue;
                    auto &marks = copies.of(ref.topic()).partitions[size_t(ref.partition())].offlineReplicas;
                    if (offline) {
                        marks.insert(std::upper_bound(marks.begin(), marks.end(), c.broker_id()), c.broker_id());
                        wentOffline.emplace_back(ref.topic(), ref.partition());
                    } else {
                        marks.erase(std::remove(marks.begin(), marks.end(), c.broker_id()), marks.end());
                        cameBack.emplace_back(ref.topic(), ref.partition());
                    }
                }
            }
        }
        // Then what the marks mean for leaders and ISRs, decided on the marked image: a replica
        // that cannot write hands its leadership to another ISR member and leaves the ISR; one
        // back online lets a partition left without a leader elect again.
        ApplyResult result;
        auto change = [&](const std::pair<std::string, int32_t> &at, const PartitionChange &decided) {
            if (auto changed = changePartition(next, at.first, at.second, decided))
                result.changed.push_back(std::move(*changed));
        };
        for (const auto &at : wentOffline)
            change(at, withoutStorageOf(next, next.topic(at.first)->partitions[size_t(at.second)], c.broker_id()));
        for (const auto &at : cameBack) {
            const TopicInfo *t = next.topic(at.first);
            change(at, electIfLeaderless(next, t->partitions[size_t(at.second)], uncleanElectionEnabled(*t)));
        }
        return result;
    }
    case Command::kAlterScramCredentials: {
        const auto &c = command.alter_scram_credentials();
        if (ScramDecision d = checkScramAlteration(next.scramCredentials, c); !d.ok())
            return {Status(d.refusal == ScramRefusal::NotFound ? StatusCode::NotFound : StatusCode::InvalidArgument,
                           d.message),
                    uint64_t(d.refusal)};
        for (const auto &d : c.deletions()) {
            auto user = next.scramCredentials.find(d.user());
            user->second.erase(*scramMechanismFromCode(int8_t(d.mechanism())));
            if (user->second.empty())
                next.scramCredentials.erase(user);
        }
        for (const auto &u : c.upsertions())
            next.scramCredentials[u.user()][*scramMechanismFromCode(int8_t(u.mechanism()))] =
                ScramCredential{u.iterations(), u.salt(), u.stored_key(), u.server_key()};
        return {};
    }
    case Command::kAlterAcls: {
        const auto &c = command.alter_acls();
        if (std::string why = checkAclAlteration(c); !why.empty())
            return {invalidArgument(why)};
        for (const AclEntry &removal : c.removals())
            next.acls.erase(aclFromEntry(removal));
        for (const AclEntry &addition : c.additions())
            next.acls.insert(aclFromEntry(addition));
        return {};
    }
    case Command::kAlterClientQuotas: {
        const auto &c = command.alter_client_quotas();
        if (ClientQuotaDecision d = checkClientQuotaAlteration(c); !d.ok())
            return {Status(StatusCode::InvalidArgument, d.message), uint64_t(d.refusal)};
        applyClientQuotaAlteration(next.clientQuotas, c);
        return {};
    }
    case Command::kAllocateProducerIds: {
        const uint64_t first = next.nextProducerId;
        next.nextProducerId += std::max<uint32_t>(1, command.allocate_producer_ids().count());
        return {Status::ok(), first};
    }
    case Command::COMMAND_NOT_SET:
        break;
    }
    return {internalError("metadata command with no command set (unknown to this build?)")};
}

} // namespace skiff::metadata
