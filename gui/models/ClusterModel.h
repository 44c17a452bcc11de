#pragma once
// The dashboard's state: per node the latest snapshot and a ring buffer of samples, the events
// every node streamed, the partitions last polled, and the alerts derived from all of it. Fed by
// a ClusterClient's signals; read by the table models, the charts and the exporters. No widget
// and no socket here.

#include "models/Alert.h"
#include "models/NodeEntry.h"
#include "models/RingBuffer.h"
#include "net/ClusterClient.h"

#include <QObject>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace skiff::gui {

struct EventEntry {
    qint64 receivedMs = 0;
    QString address;
    admin::Event event;
    bool fromHistory = false;   // sent in a node's history: it may predate the dashboard
    // The node's time of the event, or when it arrived from a node that does not say.
    qint64 timeMs() const { return event.time_unix_ms() ? event.time_unix_ms() : receivedMs; }
};

// A consumer group as the cluster's nodes last described it, and its total lag over time.
struct GroupEntry {
    // Polls at the default 2 s over the charts' longest window (10 min), with room for faster polls.
    static constexpr size_t kLagSamples = 600;
    struct LagSample {
        qint64 localMs = 0;
        int64_t totalLag = 0;
    };
    admin::Group group;
    int64_t totalLag = 0;        // the sum of the offsets' known lags
    bool lagKnown = false;       // some offset's lag is known
    bool lagGrowing = false;     // rose at each of the last ClusterModel::kGrowingLagPolls polls
    RingBuffer<LagSample> lag;   // allocated (kLagSamples) once, when the group first appears
};

class ClusterModel : public QObject {
    Q_OBJECT
public:
    // The charts' longest window (10 min) at the highest snapshot rate (20 Hz); allocated up
    // front, so memory does not grow while the dashboard runs.
    static constexpr size_t kHistorySamples = 12'000;
    static constexpr size_t kEventCapacity = 5000;
    // Data-plane rates and interval latencies are taken over at least this much of a node's time.
    static constexpr qint64 kRateSpanMs = 1000;
    // A data directory with less free than this share of its file system raises an alert
    // (--disk-alert-free-percent).
    static constexpr int kDefaultDiskAlertFreePercent = 10;
    // A group whose total lag rose at each of this many polls in a row is flagged.
    static constexpr int kGrowingLagPolls = 3;

    explicit ClusterModel(QObject *parent = nullptr);

    void attach(ClusterClient *client);
    // Tests fix the clock so time windows (term churn) are deterministic.
    void setClock(std::function<qint64()> clock) { m_clock = std::move(clock); }
    qint64 now() const { return m_clock(); }

    const std::vector<NodeEntry> &nodes() const { return m_nodes; }
    const NodeEntry *nodeByAddress(const QString &address) const;
    const NodeEntry *nodeById(uint64_t id) const;
    // In arrival order (bounded); eventsByTime() merges the nodes' histories and streams by the
    // nodes' times, oldest first.
    const RingBuffer<EventEntry> &events() const { return m_events; }
    std::vector<const EventEntry *> eventsByTime() const;
    // One line per node too old to send its recent events ("node too old for this view"); empty
    // when every node that answered sent them.
    QStringList historyNotices() const;
    const admin::PartitionList &partitions() const { return m_partitions; }
    bool hasPartitions() const { return m_hasPartitions; }
    // Offline (no leader, or the leader cannot open the log: the nodes' states) and
    // under-replicated (ISR shorter than the replicas) partitions of the last poll, and the first
    // of each ("orders-3"): the alerts and the health line count them.
    struct PartitionHealth {
        int offline = 0, underReplicated = 0;
        QString firstOffline, firstUnderReplicated;
    };
    PartitionHealth partitionHealth() const;
    // Consumer groups by id, from the last poll that any node answered.
    const std::vector<GroupEntry> &groups() const { return m_groups; }
    bool hasGroups() const { return m_hasGroups; }
    // One line per node that could not describe its groups (an older node: "too old for this view").
    QStringList groupNotices() const { return m_groupNotices; }
    const std::vector<Alert> &alerts() const { return m_alerts; }
    // Throughput summed over the streaming nodes that report it (each node counts what it served):
    // per topic by name, and in all; nullopt when no node has a rate yet.
    std::vector<admin::TopicRates> topicRates() const;
    std::optional<admin::TrafficRates> clusterTraffic() const;
    // Streaming nodes too old to report traffic or disks ("node too old for this view").
    QStringList nodesWithoutTraffic() const;

    void setDiskAlertFreePercent(int percent) { m_diskAlertFreePercent = percent; recompute(); }
    int diskAlertFreePercent() const { return m_diskAlertFreePercent; }

    // "healthy", or the most severe reason and how many more.
    QString healthSummary() const;
    bool healthy() const { return m_alerts.empty(); }
    // The leader most streaming nodes name (0: none).
    uint64_t leaderId() const;
    QString clusterId() const;

    // Every known node has answered once or failed to, and the partitions came once: what the
    // screenshot and the export wait for.
    bool isFullyUpdated() const;

    // Feeding, public so tests can script a node without a socket.
    void addNode(const QString &address, bool discovered);
    void removeNode(const QString &address);
    void applyStatus(const QString &address, const admin::StatusSnapshot &snapshot);
    void applyEvent(const QString &address, const admin::Event &event);
    void applyHistory(const QString &address, const admin::EventHistory &history);
    void applyHistoryUnavailable(const QString &address);
    void applyState(const QString &address, NodeConnection::State state, const QString &reason);
    void applyPartitions(const admin::PartitionList &partitions);
    // The cluster's groups, merged (each once, lags as given), and the nodes that did not answer.
    void applyGroups(const std::vector<admin::Group> &groups, const QStringList &refusals = {});

signals:
    void nodesChanged();
    void eventsChanged();
    void partitionsChanged();
    void groupsChanged();
    void alertsChanged();
    void fullyUpdated();

private:
    NodeEntry *find(const QString &address);
    static void takeDataPlaneRates(NodeEntry &node, const admin::StatusSnapshot &snapshot, NodeSample &sample);
    void recompute();
    // Keeps `event` unless it was kept before (a history sent again after a reconnect); true when kept.
    bool keepEvent(const QString &address, const admin::Event &event, bool fromHistory);

    // An event as its node numbered it: (node, incarnation, sequence); sequence 0 is never a key.
    using EventKey = std::tuple<uint64_t, std::string, uint64_t>;

    std::function<qint64()> m_clock;
    std::vector<NodeEntry> m_nodes;
    RingBuffer<EventEntry> m_events{kEventCapacity};
    std::set<EventKey> m_eventKeys;   // of the events in m_events
    admin::PartitionList m_partitions;
    bool m_hasPartitions = false;
    std::vector<Alert> m_alerts;
    bool m_fullyUpdatedSent = false;
    int m_diskAlertFreePercent = kDefaultDiskAlertFreePercent;
    std::vector<GroupEntry> m_groups;
    bool m_hasGroups = false;
    QStringList m_groupNotices;
};

} // namespace skiff::gui
