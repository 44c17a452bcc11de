#include "cluster/CommandNarration.h"

#include "admin/AdminProtocol.h"
#include "cluster/ClusterLog.h"

#include <algorithm>
#include <string>

namespace skiff::cluster {
namespace {

std::string ids(const std::vector<uint64_t> &list)
{
    std::string out = "[";
    for (uint64_t id : list)
        out += (out.size() > 1 ? "," : "") + std::to_string(id);
    return out + "]";
}

// What a command did to leaderships and ISRs, short: "led 4 partitions, new leaders t-0->1,
// t-1->none, t-2->3 and 1 more; 6 ISRs shrunk". Empty when it changed none.
std::string partitionMoves(const std::vector<metadata::ChangedPartition> &changed)
{
    constexpr size_t kNamed = 3;
    size_t leaders = 0, isrs = 0;
    std::string named;
    for (const auto &c : changed) {
        isrs += c.oldIsr != c.newIsr ? 1 : 0;
        if (c.oldLeader == c.newLeader)
            continue;
        if (++leaders <= kNamed)
            named += (named.empty() ? "" : ", ") + c.topic + "-" + std::to_string(c.partition) + "->"
                     + (c.newLeader ? std::to_string(c.newLeader) : std::string("none"));
    }
    std::string out;
    if (leaders)
        out = std::to_string(leaders) + (leaders == 1 ? " leadership" : " leaderships") + " moved: " + named
              + (leaders > kNamed ? " and " + std::to_string(leaders - kNamed) + " more" : "");
    if (isrs)
        out += (out.empty() ? "" : "; ") + std::to_string(isrs) + (isrs == 1 ? " ISR changed" : " ISRs changed");
    return out;
}

// The one partition event of a command: "<cause>: <moves>"; none when it changed no partition.
void addPartitionEvent(std::vector<ClusterEventText> &events, const QString &cause,
                       const std::vector<metadata::ChangedPartition> &changed)
{
    const std::string moves = partitionMoves(changed);
    if (moves.empty())
        return;
    const bool leaderMoved = std::any_of(changed.begin(), changed.end(),
                                         [](const metadata::ChangedPartition &c) { return c.oldLeader != c.newLeader; });
    ClusterEventText event{leaderMoved ? admin::EVENT_KIND_LEADER_ELECTED : admin::EVENT_KIND_ISR_CHANGED,
                           cause + QStringLiteral(": ") + QString::fromStdString(moves), {}};
    for (const auto &c : changed) {
        if (c.oldLeader == c.newLeader)
            continue;
        if (event.leaderMoves.moves_size() >= admin::kMaxLeaderMovesPerEvent) {
            event.leaderMoves.set_left_out(event.leaderMoves.left_out() + 1);
            continue;
        }
        admin::PartitionMove *m = event.leaderMoves.add_moves();
        m->set_topic(c.topic);
        m->set_partition(c.partition);
        m->set_from(c.oldLeader);
        m->set_to(c.newLeader);
    }
    events.push_back(std::move(event));
}

} // namespace

std::vector<ClusterEventText> narrateApplied(const metadata::Command &command, const metadata::ApplyResult &result,
                                             const NarrationContext &context)
{
    std::vector<ClusterEventText> events;
    if (!result.status.isOk())
        return events;   // the proposer hears why; nothing changed
    switch (command.command_case()) {
    case metadata::Command::kRegisterBroker: {
        const auto &c = command.register_broker();
        qCInfo(lcCluster, "broker %llu registered (incarnation %s, Kafka at %s:%u)%s%s",
               static_cast<unsigned long long>(c.broker_id()), c.incarnation_id().c_str(), c.kafka_host().c_str(),
               c.kafka_port(), result.changed.empty() ? "" : "; ", partitionMoves(result.changed).c_str());
        const QString what = QStringLiteral("broker %1 registered").arg(c.broker_id());
        events.push_back({admin::EVENT_KIND_BROKER_REGISTERED, what});
        addPartitionEvent(events, what, result.changed);
        return events;
    }
    case metadata::Command::kFenceBroker: {
        const auto broker = static_cast<unsigned long long>(command.fence_broker().broker_id());
        const std::string moves = result.changed.empty() ? "" : "; " + partitionMoves(result.changed);
        // A warning where the fence was decided (the leader that missed the heartbeats); every
        // other node, and a replay after a restart, says it as a fact at info.
        if (context.ownProposal)
            qCWarning(lcCluster, "broker %llu fenced: no heartbeat for %lld ms%s", broker,
                      static_cast<long long>(context.brokerSessionTimeoutMs), moves.c_str());
        else if (command.tag().origin_node() != 0)
            qCInfo(lcCluster, "broker %llu fenced by the controller (node %llu), entry %llu%s", broker,
                   static_cast<unsigned long long>(command.tag().origin_node()),
                   static_cast<unsigned long long>(context.index), moves.c_str());
        else   // written by a build that did not tag its fences
            qCInfo(lcCluster, "broker %llu fenced by the controller, entry %llu%s", broker,
                   static_cast<unsigned long long>(context.index), moves.c_str());
        const QString what = QStringLiteral("broker %1 fenced").arg(broker);
        events.push_back({admin::EVENT_KIND_BROKER_FENCED, what});
        addPartitionEvent(events, what, result.changed);
        return events;
    }
    case metadata::Command::kUnfenceBroker: {
        const auto broker = static_cast<unsigned long long>(command.unfence_broker().broker_id());
        qCInfo(lcCluster, "broker %llu unfenced: heartbeating and caught up%s%s", broker, result.changed.empty() ? "" : "; ",
               partitionMoves(result.changed).c_str());
        const QString what = QStringLiteral("broker %1 unfenced").arg(broker);
        events.push_back({admin::EVENT_KIND_BROKER_UNFENCED, what});
        addPartitionEvent(events, what, result.changed);
        return events;
    }
    case metadata::Command::kRemoveBroker:
    case metadata::Command::kControlledShutdown: {
        const bool removed = command.has_remove_broker();
        const auto broker = static_cast<unsigned long long>(removed ? command.remove_broker().broker_id()
                                                                    : command.controlled_shutdown().broker_id());
        qCInfo(lcCluster, "broker %llu %s%s%s", broker, removed ? "removed" : "in controlled shutdown",
               result.changed.empty() ? "" : ": ", partitionMoves(result.changed).c_str());
        addPartitionEvent(events,
                          QStringLiteral("broker %1 %2").arg(broker).arg(removed ? QStringLiteral("removed")
                                                                                 : QStringLiteral("in controlled shutdown")),
                          result.changed);
        return events;
    }
    case metadata::Command::kAlterPartition: {
        const auto &c = command.alter_partition();
        for (const auto &changed : result.changed)   // one at most; none when the ISR was already so
        {
            qCInfo(lcCluster, "%s-%d: ISR %s -> %s, asked by leader %llu", changed.topic.c_str(), changed.partition,
                   ids(changed.oldIsr).c_str(), ids(changed.newIsr).c_str(), static_cast<unsigned long long>(c.broker_id()));
            events.push_back({admin::EVENT_KIND_ISR_CHANGED,
                              QStringLiteral("%1-%2: ISR %3 -> %4, asked by leader %5")
                                  .arg(QString::fromStdString(changed.topic))
                                  .arg(changed.partition)
                                  .arg(QString::fromStdString(ids(changed.oldIsr)), QString::fromStdString(ids(changed.newIsr)))
                                  .arg(c.broker_id())});
        }
        return events;
    }
    case metadata::Command::kElectLeaders: {
        const bool preferred = command.elect_leaders().type() == metadata::ELECTION_PREFERRED;
        qCInfo(lcCluster, "%s leader election: %s", preferred ? "preferred" : "unclean",
               result.changed.empty() ? "no partition needed or allowed one" : partitionMoves(result.changed).c_str());
        addPartitionEvent(events, preferred ? QStringLiteral("preferred leader election") : QStringLiteral("unclean leader election"),
                          result.changed);
        return events;
    }
    case metadata::Command::kSetOfflineReplicas: {
        // The broker logged the failure itself; what the cluster did about it is said here.
        if (result.changed.empty())
            return events;
        const auto &c = command.set_offline_replicas();
        qCInfo(lcCluster, "broker %llu reported %d partition log(s) offline and %d back: %s",
               static_cast<unsigned long long>(c.broker_id()), c.offline_size(), c.online_size(),
               partitionMoves(result.changed).c_str());
        addPartitionEvent(events, QStringLiteral("broker %1's partition logs offline or back").arg(c.broker_id()),
                          result.changed);
        return events;
    }
    case metadata::Command::kCreateTopic: {
        const auto &c = command.create_topic();
        const int replicas = c.partitions().empty() ? 0 : c.partitions(0).replicas_size();
        const QString what = QStringLiteral("topic '%1' created: %2 %3, replication factor %4")
                                 .arg(QString::fromStdString(c.name()))
                                 .arg(c.partitions_size())
                                 .arg(c.partitions_size() == 1 ? QStringLiteral("partition") : QStringLiteral("partitions"))
                                 .arg(replicas);
        qCInfo(lcCluster, "%s", qPrintable(what));
        events.push_back({admin::EVENT_KIND_TOPIC_CREATED, what});
        return events;
    }
    case metadata::Command::kDeleteTopic: {
        const QString what = QStringLiteral("topic '%1' deleted").arg(QString::fromStdString(command.delete_topic().name()));
        qCInfo(lcCluster, "%s", qPrintable(what));
        events.push_back({admin::EVENT_KIND_TOPIC_DELETED, what});
        return events;
    }
    case metadata::Command::kCreatePartitions: {
        const auto &c = command.create_partitions();
        if (c.new_partitions().empty())
            return events;
        const int32_t from = c.new_partitions(0).partition();
        const QString what = QStringLiteral("topic '%1' grew from %2 to %3 partitions")
                                 .arg(QString::fromStdString(c.name()))
                                 .arg(from)
                                 .arg(from + c.new_partitions_size());
        qCInfo(lcCluster, "%s", qPrintable(what));
        events.push_back({admin::EVENT_KIND_PARTITIONS_CREATED, what});
        return events;
    }
    case metadata::Command::kAlterTopicConfig:
        if (!result.changed.empty())
            qCWarning(lcCluster, "topic '%s' allows unclean leader election: %s", command.alter_topic_config().name().c_str(),
                      partitionMoves(result.changed).c_str());
        addPartitionEvent(events,
                          QStringLiteral("topic '%1' allows unclean leader election").arg(QString::fromStdString(
                              command.alter_topic_config().name())),
                          result.changed);
        return events;
    case metadata::Command::kAlterScramCredentials: {
        // Who and which mechanism only: never a salt or a key.
        const auto &c = command.alter_scram_credentials();
        auto name = [](int32_t code) {   // applied, so known
            auto m = metadata::scramMechanismFromCode(int8_t(code));
            return m ? std::string(metadata::scramMechanismName(*m)) : "mechanism " + std::to_string(code);
        };
        std::string what;
        for (const auto &d : c.deletions())
            what += (what.empty() ? "deleted " : ", deleted ") + name(d.mechanism()) + " of '" + d.user() + "'";
        for (const auto &u : c.upsertions())
            what += (what.empty() ? "set " : ", set ") + name(u.mechanism()) + " of '" + u.user() + "' ("
                    + std::to_string(u.iterations()) + " iterations)";
        qCInfo(lcCluster, "SCRAM credentials: %s", what.c_str());
        return events;
    }
    case metadata::Command::kAlterAcls: {
        const auto &c = command.alter_acls();
        std::string what;
        for (const auto &r : c.removals())
            what += (what.empty() ? "removed " : ", removed ") + metadata::describeAcl(metadata::aclFromEntry(r));
        for (const auto &a : c.additions())
            what += (what.empty() ? "added " : ", added ") + metadata::describeAcl(metadata::aclFromEntry(a));
        qCInfo(lcCluster, "ACLs: %s", what.empty() ? "no change" : what.c_str());
        return events;
    }
    case metadata::Command::kAlterClientQuotas: {
        // "client quotas of /users/alice/clients/<default>: set producer_byte_rate=1048576, removed request_percentage"
        const auto &c = command.alter_client_quotas();
        std::string what;
        for (const auto &op : c.ops())
            what += (what.empty() ? "" : ", ")
                    + (op.remove() ? "removed " + op.key()
                                   : "set " + op.key() + "=" + QString::number(op.value(), 'g', 17).toStdString());
        const std::string entity = metadata::quotaEntityPath(metadata::quotaEntityFromProto(c.entity()));
        qCInfo(lcCluster, "client quotas of %s: %s", entity.c_str(), what.c_str());
        return events;
    }
    default:
        return events;
    }
}

} // namespace skiff::cluster
