#include "models/ClusterModel.h"

#include "models/HealthAnalyzer.h"
#include "admin/GroupViews.h"
#include "admin/TrafficRates.h"
#include "models/HistogramDelta.h"

#include <QDateTime>

#include <algorithm>
#include <map>

namespace skiff::gui {

ClusterModel::ClusterModel(QObject *parent)
    : QObject(parent), m_clock([] { return QDateTime::currentMSecsSinceEpoch(); })
{
}

void ClusterModel::attach(ClusterClient *client)
{
    connect(client, &ClusterClient::nodeAdded, this,
            [this, client](const QString &a) { addNode(a, client->isDiscovered(a)); });
    connect(client, &ClusterClient::nodeRemoved, this, &ClusterModel::removeNode);
    connect(client, &ClusterClient::statusReceived, this, &ClusterModel::applyStatus);
    connect(client, &ClusterClient::eventReceived, this, &ClusterModel::applyEvent);
    connect(client, &ClusterClient::historyReceived, this, &ClusterModel::applyHistory);
    connect(client, &ClusterClient::historyUnavailable, this, &ClusterModel::applyHistoryUnavailable);
    connect(client, &ClusterClient::connectionStateChanged, this, &ClusterModel::applyState);
    connect(client, &ClusterClient::partitionsReceived, this, &ClusterModel::applyPartitions);
    connect(client, &ClusterClient::groupsReceived, this,
            [this](const std::vector<admin::GroupList> &answers, const QStringList &refusals) {
                // The cluster's rule, as skiffctl groups applies it: each group once, the lags its
                // coordinator could not know filled from the partitions' leaders (the partition
                // list polled beside the groups).
                const admin::GroupList merged = admin::mergeGroupViews(answers, m_partitions);
                applyGroups(std::vector<admin::Group>(merged.groups().begin(), merged.groups().end()), refusals);
            });
}

NodeEntry *ClusterModel::find(const QString &address)
{
    for (NodeEntry &n : m_nodes)
        if (n.address == address)
            return &n;
    return nullptr;
}

const NodeEntry *ClusterModel::nodeByAddress(const QString &address) const
{
    return const_cast<ClusterModel *>(this)->find(address);
}

const NodeEntry *ClusterModel::nodeById(uint64_t id) const
{
    for (const NodeEntry &n : m_nodes)
        if (n.hasSnapshot && n.latest.node_id() == id)
            return &n;
    return nullptr;
}

void ClusterModel::addNode(const QString &address, bool discovered)
{
    if (find(address))
        return;
    NodeEntry entry;
    entry.address = address;
    entry.discovered = discovered;
    entry.history = RingBuffer<NodeSample>(kHistorySamples);
    m_nodes.push_back(std::move(entry));
    recompute();
    emit nodesChanged();
}

void ClusterModel::removeNode(const QString &address)
{
    auto it = std::find_if(m_nodes.begin(), m_nodes.end(), [&](const NodeEntry &n) { return n.address == address; });
    if (it == m_nodes.end())
        return;
    m_nodes.erase(it);
    recompute();
    emit nodesChanged();
}

void ClusterModel::applyStatus(const QString &address, const admin::StatusSnapshot &snapshot)
{
    NodeEntry *n = find(address);
    if (!n)
        return;
    NodeSample sample;
    sample.localMs = now();
    sample.serverMs = snapshot.server_time_unix_ms();
    sample.term = snapshot.term();
    sample.leaderId = snapshot.leader_id();
    sample.commit = snapshot.commit();
    sample.applied = snapshot.applied();
    sample.iterations = snapshot.ready_iterations();
    sample.maxLoopGapMs = snapshot.max_loop_gap_ms();
    if (snapshot.replication_measured())
        sample.maxFollowerLag = double(snapshot.max_follower_lag());
    if (!n->history.empty()) {
        const NodeSample &prev = n->history.back();
        const double seconds = double(sample.serverMs - prev.serverMs) / 1000.0;
        // A restarted node (new incarnation) resets its counters: no rate across that.
        const bool sameRun = n->latest.incarnation_id() == snapshot.incarnation_id();
        if (seconds > 0 && sameRun && sample.iterations > prev.iterations)
            sample.loopIntervalMs = seconds * 1000.0 / double(sample.iterations - prev.iterations);
        if (seconds > 0 && sameRun && sample.commit >= prev.commit)
            sample.commitRate = double(sample.commit - prev.commit) / seconds;
        if (sameRun)
            if (const auto longest = HistogramDelta::largestMicros(n->latest.ready_loop_interval_micros(),
                                                                    snapshot.ready_loop_interval_micros()))
                sample.longestIntervalMs = double(*longest) / 1000.0;
    }
    takeDataPlaneRates(*n, snapshot, sample);
    n->history.push(sample);
    n->latest = snapshot;
    n->hasSnapshot = true;
    n->lastUpdateMs = sample.localMs;
    recompute();
    emit nodesChanged();
}

namespace {

const admin::KafkaApiCount *findApi(const google::protobuf::RepeatedPtrField<admin::KafkaApiCount> &apis, const std::string &name)
{
    for (const admin::KafkaApiCount &a : apis)
        if (a.api() == name)
            return &a;
    return nullptr;
}

double p99Ms(const NodeEntry &n, const std::string &key)
{
    const auto it = n.recentLatency.find(key);
    return it != n.recentLatency.end() && it->second.p99Micros ? double(*it->second.p99Micros) / 1000.0 : -1;
}

} // namespace

void ClusterModel::takeDataPlaneRates(NodeEntry &n, const admin::StatusSnapshot &s, NodeSample &sample)
{
    if (n.rateBase && n.rateBase->incarnation_id() != s.incarnation_id()) {
        // Restarted: its counters began again, and the last rates describe the run that ended.
        n.rateBase.reset();
        n.topicRates.reset();
        n.recentLatency.clear();
    }
    if (!n.rateBase) {
        n.rateBase = s;
        return;
    }
    const admin::StatusSnapshot &base = *n.rateBase;
    const qint64 spanMs = s.server_time_unix_ms() - base.server_time_unix_ms();
    if (spanMs < kRateSpanMs)
        return;
    const double seconds = double(spanMs) / 1000.0;
    admin::NodeTrafficRates rated = admin::trafficRates(base, s);
    if (rated.state == admin::NodeTrafficRates::State::Rated)
        n.topicRates = std::move(rated.topics);
    else
        n.topicRates.reset();
    if (n.topicRates) {
        const admin::TrafficRates &total = rated.total;
        sample.bytesIn = total.bytesIn;
        sample.consumerBytesOut = total.consumerBytesOut;
        sample.replicaBytesOut = total.replicaBytesOut;
        sample.messagesIn = total.messagesIn;
    }
    n.recentLatency.clear();
    if (s.kafka_requests_measured()) {
        const auto recent = [&](const admin::KafkaApiCount &now, const admin::KafkaApiCount *before) {
            const admin::KafkaApiCount none;
            const admin::KafkaApiCount &b = before ? *before : none;
            NodeEntry::RecentLatency r;
            r.requestsPerSecond = double(now.requests() >= b.requests() ? now.requests() - b.requests() : 0) / seconds;
            r.p99Micros = admin::intervalQuantileMicros(b.latency_micros(), now.latency_micros(), 0.99);
            return r;
        };
        for (const admin::KafkaApiCount &api : s.kafka_requests()) {
            const admin::KafkaApiCount *before = findApi(base.kafka_requests(), api.api());
            n.recentLatency[NodeEntry::latencyKey(api.api())] = recent(api, before);
            for (const admin::KafkaApiCount &v : api.variants())
                n.recentLatency[NodeEntry::latencyKey(api.api(), v.api())] =
                    recent(v, before ? findApi(before->variants(), v.api()) : nullptr);
        }
    }
    sample.produceAllP99Ms = p99Ms(n, NodeEntry::latencyKey("Produce", "acks=all"));
    sample.fetchConsumerP99Ms = p99Ms(n, NodeEntry::latencyKey("Fetch", "consumer"));
    n.rateBase = s;
}

std::vector<admin::TopicRates> ClusterModel::topicRates() const
{
    std::map<std::string, admin::TrafficRates> byTopic;
    for (const NodeEntry &n : m_nodes)
        if (n.streaming() && n.topicRates)
            for (const admin::TopicRates &r : *n.topicRates)
                byTopic[r.topic] += r.rates;
    std::vector<admin::TopicRates> out;
    for (const auto &[topic, rates] : byTopic)
        out.push_back({topic, rates});
    return out;
}

std::optional<admin::TrafficRates> ClusterModel::clusterTraffic() const
{
    std::optional<admin::TrafficRates> total;
    for (const NodeEntry &n : m_nodes)
        if (n.streaming() && n.topicRates) {
            if (!total)
                total.emplace();
            *total += admin::totalOf(*n.topicRates);
        }
    return total;
}

QStringList ClusterModel::nodesWithoutTraffic() const
{
    QStringList out;
    for (const NodeEntry &n : m_nodes)
        if (n.streaming() && !n.latest.traffic_reported())
            out << n.label();
    return out;
}

bool ClusterModel::keepEvent(const QString &address, const admin::Event &event, bool fromHistory)
{
    const EventKey key{event.node_id(), event.incarnation_id(), event.sequence()};
    if (event.sequence() != 0 && !m_eventKeys.insert(key).second)
        return false;
    if (m_events.size() == m_events.capacity()) {   // the oldest goes: so does its key
        const admin::Event &oldest = m_events[0].event;
        if (oldest.sequence() != 0)
            m_eventKeys.erase(EventKey{oldest.node_id(), oldest.incarnation_id(), oldest.sequence()});
    }
    m_events.push(EventEntry{now(), address, event, fromHistory});
    return true;
}

void ClusterModel::applyEvent(const QString &address, const admin::Event &event)
{
    if (!keepEvent(address, event, false))
        return;
    emit eventsChanged();
    if (HealthAnalyzer::raisesAlert(event.event_kind()) || event.event_kind() == admin::EVENT_KIND_HALTED)
        recompute();
}

void ClusterModel::applyHistory(const QString &address, const admin::EventHistory &history)
{
    if (NodeEntry *n = find(address))
        n->eventHistory = NodeEntry::EventHistory::Received;
    for (const admin::Event &e : history.events())
        keepEvent(address, e, true);
    emit eventsChanged();
    recompute();
}

void ClusterModel::applyHistoryUnavailable(const QString &address)
{
    NodeEntry *n = find(address);
    if (!n)
        return;
    n->eventHistory = NodeEntry::EventHistory::Unsupported;
    emit eventsChanged();   // the events view says so
}

std::vector<const EventEntry *> ClusterModel::eventsByTime() const
{
    std::vector<const EventEntry *> out;
    out.reserve(m_events.size());
    for (size_t i = 0; i < m_events.size(); ++i)
        out.push_back(&m_events[i]);
    // Events of one node at one millisecond keep the order they were made in (their sequence);
    // stable for events of older nodes, which have none.
    std::stable_sort(out.begin(), out.end(), [](const EventEntry *a, const EventEntry *b) {
        return std::forward_as_tuple(a->timeMs(), a->event.node_id(), a->event.incarnation_id(), a->event.sequence()) <
               std::forward_as_tuple(b->timeMs(), b->event.node_id(), b->event.incarnation_id(), b->event.sequence());
    });
    return out;
}

QStringList ClusterModel::historyNotices() const
{
    QStringList out;
    for (const NodeEntry &n : m_nodes)
        if (n.eventHistory == NodeEntry::EventHistory::Unsupported)
            out << tr("%1 (%2) is too old for this view: it keeps no event history, so only its events since the "
                      "dashboard connected are shown")
                       .arg(n.label(), n.address);
    return out;
}

void ClusterModel::applyState(const QString &address, NodeConnection::State state, const QString &reason)
{
    NodeEntry *n = find(address);
    if (!n)
        return;
    n->state = state;
    if (state == NodeConnection::State::Streaming) {
        n->failures = 0;
        n->error.clear();
        n->unreachableSinceMs = 0;
    } else if (state == NodeConnection::State::Backoff) {
        if (n->failures++ == 0)
            n->unreachableSinceMs = now();
        n->error = reason;
    }
    recompute();
    emit nodesChanged();
}

void ClusterModel::applyPartitions(const admin::PartitionList &partitions)
{
    m_partitions = partitions;
    m_hasPartitions = true;
    recompute();
    emit partitionsChanged();
}

ClusterModel::PartitionHealth ClusterModel::partitionHealth() const
{
    PartitionHealth h;
    for (const admin::Partition &p : m_partitions.partitions()) {
        const QString name = QStringLiteral("%1-%2").arg(QString::fromStdString(p.topic())).arg(p.partition());
        if (p.state() == admin::PARTITION_STATE_OFFLINE || p.state() == admin::PARTITION_STATE_STORAGE_OFFLINE) {
            if (!h.offline++)
                h.firstOffline = name;
        } else if (p.isr_size() < p.replicas_size()) {
            if (!h.underReplicated++)
                h.firstUnderReplicated = name;
        }
    }
    return h;
}

void ClusterModel::applyGroups(const std::vector<admin::Group> &groups, const QStringList &refusals)
{
    const qint64 at = now();
    std::vector<GroupEntry> next;
    next.reserve(groups.size());
    for (const admin::Group &g : groups) {
        GroupEntry e;
        // A group seen before keeps its lag history (moved, not copied: the ring is allocated once).
        auto old = std::find_if(m_groups.begin(), m_groups.end(),
                                [&](const GroupEntry &o) { return o.group.group_id() == g.group_id(); });
        e.lag = old != m_groups.end() ? std::move(old->lag) : RingBuffer<GroupEntry::LagSample>(GroupEntry::kLagSamples);
        e.group = g;
        e.totalLag = admin::updateTotalLag(e.group);
        e.lagKnown = std::any_of(g.offsets().begin(), g.offsets().end(), [](const admin::GroupOffset &o) { return o.lag_known(); });
        if (e.lagKnown)
            e.lag.push(GroupEntry::LagSample{at, e.totalLag});
        // Growing: each of the last kGrowingLagPolls samples above the one before.
        const size_t n = e.lag.size();
        e.lagGrowing = n > size_t(kGrowingLagPolls);
        for (size_t i = n - std::min(n, size_t(kGrowingLagPolls)); e.lagGrowing && i < n; ++i)
            e.lagGrowing = e.lag[i].totalLag > e.lag[i - 1].totalLag;
        next.push_back(std::move(e));
    }
    std::sort(next.begin(), next.end(),
              [](const GroupEntry &a, const GroupEntry &b) { return a.group.group_id() < b.group.group_id(); });
    m_groups = std::move(next);
    m_hasGroups = true;
    m_groupNotices.clear();
    for (const QString &r : refusals)
        m_groupNotices << tr("groups not shown from %1 (a node too old for this view does not know DescribeGroups)").arg(r);
    recompute();
    emit groupsChanged();
}

uint64_t ClusterModel::leaderId() const
{
    std::map<uint64_t, int> votes;
    for (const NodeEntry &n : m_nodes)
        if (n.streaming() && n.latest.leader_id() != 0)
            ++votes[n.latest.leader_id()];
    uint64_t best = 0;
    int bestVotes = 0;
    for (const auto &[id, v] : votes)
        if (v > bestVotes) {
            best = id;
            bestVotes = v;
        }
    return best;
}

QString ClusterModel::clusterId() const
{
    for (const NodeEntry &n : m_nodes)
        if (n.hasSnapshot)
            return QString::fromStdString(n.latest.cluster_id());
    return {};
}

bool ClusterModel::isFullyUpdated() const
{
    if (m_nodes.empty())
        return false;
    bool anyAnswered = false;
    for (const NodeEntry &n : m_nodes) {
        if (!n.hasSnapshot && n.failures == 0)
            return false;
        anyAnswered = anyAnswered || n.hasSnapshot;
    }
    // With no node answering there are no partitions to wait for; the window shows why.
    return !anyAnswered || m_hasPartitions;
}

QString ClusterModel::healthSummary() const
{
    if (m_nodes.empty())
        return QStringLiteral("not connected");
    if (m_alerts.empty())
        return QStringLiteral("healthy");
    const Alert &worst = m_alerts.front();   // sorted: critical first
    QString line = worst.source + QStringLiteral(": ") + worst.text;
    if (m_alerts.size() > 1)
        line += QStringLiteral("  (+%1 more)").arg(m_alerts.size() - 1);
    return line;
}

void ClusterModel::recompute()
{
    std::vector<Alert> alerts = HealthAnalyzer::analyze(*this, now());
    // A condition that persists keeps the time it was first seen.
    for (Alert &a : alerts)
        for (const Alert &old : m_alerts)
            if (old.source == a.source && old.text == a.text)
                a.sinceMs = std::min(a.sinceMs, old.sinceMs);
    const bool changed = alerts.size() != m_alerts.size() ||
                         !std::equal(alerts.begin(), alerts.end(), m_alerts.begin(), [](const Alert &a, const Alert &b) {
                             return a.severity == b.severity && a.source == b.source && a.text == b.text;
                         });
    m_alerts = std::move(alerts);
    if (changed)
        emit alertsChanged();
    if (!m_fullyUpdatedSent && isFullyUpdated()) {
        m_fullyUpdatedSent = true;
        emit fullyUpdated();
    }
}

} // namespace skiff::gui
