#include "kafka/server/LeaderBalancer.h"

#include "kafka/server/BrokerContext.h"
#include "kafka/server/KafkaLog.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace skiff::kafka {

std::vector<metadata::ElectionTarget> partitionsToRebalance(const metadata::MetadataImage &image, int64_t percentage)
{
    struct Share {
        int64_t preferred = 0;
        std::vector<metadata::ElectionTarget> movable;   // not led by it, and electable now
        int64_t notLed = 0;
    };
    std::map<uint64_t, Share> shares;
    for (const auto &[name, topic] : image.topics) {
        for (const metadata::PartitionInfo &p : topic->partitions) {
            if (p.replicas.empty())
                continue;
            Share &share = shares[p.replicas.front()];
            ++share.preferred;
            if (p.leader == p.replicas.front())
                continue;
            ++share.notLed;
            if (metadata::electionOutcome(image, *topic, p, metadata::ELECTION_PREFERRED) == metadata::ElectionOutcome::Elected)
                share.movable.push_back({name, p.partition});
        }
    }
    std::vector<metadata::ElectionTarget> targets;
    for (auto &[broker, share] : shares)
        if (share.notLed * 100 > percentage * share.preferred)
            targets.insert(targets.end(), share.movable.begin(), share.movable.end());
    std::sort(targets.begin(), targets.end(), [](const auto &a, const auto &b) {
        return std::tie(a.topic, a.partition) < std::tie(b.topic, b.partition);
    });
    return targets;
}

LeaderBalancer::LeaderBalancer(BrokerContext &context, QObject *parent) : QObject(parent), m_context(context)
{
    if (!context.config.autoLeaderRebalance)
        return;
    m_timer.setInterval(std::chrono::seconds(context.config.leaderImbalanceCheckIntervalSeconds));
    connect(&m_timer, &QTimer::timeout, this, &LeaderBalancer::check);
    m_timer.start();
}

void LeaderBalancer::check()
{
    const metadata::ImagePtr image = m_context.image();
    if (m_inFlight || image->controllerId != m_context.nodeId())
        return;
    const auto targets = partitionsToRebalance(*image, m_context.config.leaderImbalancePerBrokerPercentage);
    if (targets.empty())
        return;
    auto plan = metadata::planElections(*image, metadata::ELECTION_PREFERRED, targets);
    if (!plan.command)
        return;
    qCInfo(lcKafka, "leader rebalance: electing the preferred leader of %zu partition(s)", targets.size());
    m_inFlight = true;
    m_context.controller.submit(*plan.command, this, [this](metadata::ApplyResult r) {
        m_inFlight = false;
        if (!r.status.isOk())
            qCWarning(lcKafka, "leader rebalance: the election was not applied: %s", r.status.toString().c_str());
        else
            qCInfo(lcKafka, "leader rebalance: %llu partition(s) moved to their preferred leader", (unsigned long long)r.value);
    });
}

} // namespace skiff::kafka
