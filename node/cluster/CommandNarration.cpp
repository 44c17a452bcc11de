#include "cluster/CommandNarration.h"

#include "cluster/ClusterLog.h"

namespace skiff::cluster {

std::optional<ClusterEventText> narrateApplied(const metadata::Command &command, const metadata::ApplyResult &result,
                                               const NarrationContext &context)
{
    if (!result.status.isOk())
        return std::nullopt;   // the proposer hears why; nothing changed
    switch (command.command_case()) {
    case metadata::Command::kRegisterBroker: {
        const auto &c = command.register_broker();
        qCInfo(lcCluster, "broker %llu registered (incarnation %s, Kafka at %s:%u)",
               static_cast<unsigned long long>(c.broker_id()), c.incarnation_id().c_str(), c.kafka_host().c_str(),
               c.kafka_port());
        return ClusterEventText{admin::EVENT_KIND_BROKER_REGISTERED, QStringLiteral("broker %1 registered").arg(c.broker_id())};
    }
    case metadata::Command::kFenceBroker: {
        const auto broker = static_cast<unsigned long long>(command.fence_broker().broker_id());
        // A warning where the fence was decided (the leader that missed the heartbeats); every
        // other node, and a replay after a restart, says it as a fact at info.
        if (context.ownProposal)
            qCWarning(lcCluster, "broker %llu fenced: no heartbeat for %lld ms", broker,
                      static_cast<long long>(context.brokerSessionTimeoutMs));
        else if (command.tag().origin_node() != 0)
            qCInfo(lcCluster, "broker %llu fenced by the controller (node %llu), entry %llu", broker,
                   static_cast<unsigned long long>(command.tag().origin_node()),
                   static_cast<unsigned long long>(context.index));
        else   // written by a build that did not tag its fences
            qCInfo(lcCluster, "broker %llu fenced by the controller, entry %llu", broker,
                   static_cast<unsigned long long>(context.index));
        return ClusterEventText{admin::EVENT_KIND_BROKER_FENCED, QStringLiteral("broker %1 fenced").arg(broker)};
    }
    case metadata::Command::kUnfenceBroker: {
        const auto broker = static_cast<unsigned long long>(command.unfence_broker().broker_id());
        qCInfo(lcCluster, "broker %llu unfenced: heartbeating and caught up", broker);
        return ClusterEventText{admin::EVENT_KIND_BROKER_UNFENCED, QStringLiteral("broker %1 unfenced").arg(broker)};
    }
    default:
        return std::nullopt;
    }
}

} // namespace skiff::cluster
