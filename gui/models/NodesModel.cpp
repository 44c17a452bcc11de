#include "models/NodesModel.h"

#include "models/ClusterModel.h"
#include "models/Format.h"
#include "models/HealthAnalyzer.h"
#include "models/UnreachableNode.h"

#include <QDateTime>

#include <algorithm>
#include <map>
#include <optional>

namespace skiff::gui {
namespace {

const QString &tooOld()
{
    static const QString text = QObject::tr("node too old for this view");
    return text;
}

// "in 1.2 MiB/s · out 3.4 MiB/s · replicas 1.1 MiB/s" over the latest rate span.
QString trafficText(const NodeEntry &n)
{
    if (!n.latest.traffic_reported())
        return QObject::tr("traffic: %1").arg(tooOld());
    if (!n.topicRates)
        return QObject::tr("traffic: measuring");
    const admin::TrafficRates t = admin::totalOf(*n.topicRates);
    return QObject::tr("in %1 · out %2 · replicas %3")
        .arg(formatByteRate(t.bytesIn), formatByteRate(t.consumerBytesOut), formatByteRate(t.replicaBytesOut));
}

// The data directory's file system: what the partition logs take and what is left.
QString diskText(const admin::StatusSnapshot &s)
{
    if (!s.disks_reported())
        return QObject::tr("data dir: %1").arg(tooOld());
    for (const admin::DiskUsage &d : s.disks())
        if (d.role() == "data")
            return QObject::tr("data dir: logs %1 · %2 free of %3")
                .arg(formatBytes(double(d.partition_log_bytes())), formatBytes(double(d.available_bytes())),
                     formatBytes(double(d.total_bytes())));
    return QObject::tr("data dir: not reported");
}

// The partition logs' fsync beside the metadata WAL's (the node's p99 since it started).
QString fsyncText(const admin::StatusSnapshot &s)
{
    const QString wal = s.wal_fsync_measured() ? formatMicros(s.wal_fsync_micros().p99()) : QObject::tr("none yet");
    const QString log = s.log_fsync_measured() ? formatMicros(s.log_fsync_micros().p99()) : QObject::tr("none yet");
    return QObject::tr("fsync p99: log %1 · WAL %2").arg(log, wal);
}

} // namespace

NodesModel::NodesModel(ClusterModel *cluster, QObject *parent)
    : RowTableModel({tr("Node"), tr("Admin address"), tr("Connection"), tr("Role"), tr("Leader"), tr("Term"), tr("Commit"),
                     tr("Applied"), tr("Lag"), tr("Ready"), tr("Startup"), tr("Version"), tr("Uptime"), tr("Peer links"),
                     tr("Traffic"), tr("Data directory"), tr("fsync p99")},
                    parent),
      m_cluster(cluster)
{
    connect(cluster, &ClusterModel::nodesChanged, this, &NodesModel::scheduleRebuild);
    // An unreachable node's card names the partitions it led: from the partitions and the events.
    connect(cluster, &ClusterModel::partitionsChanged, this, &NodesModel::scheduleRebuild);
    connect(cluster, &ClusterModel::eventsChanged, this, &NodesModel::scheduleRebuild);
    rebuild();
}

void NodesModel::rebuild()
{
    const uint64_t leader = m_cluster->leaderId();
    uint64_t maxTerm = 0;
    for (const NodeEntry &n : m_cluster->nodes())
        if (n.streaming())
            maxTerm = std::max(maxTerm, n.latest.term());
    const NodeEntry *leaderNode = leader ? m_cluster->nodeById(leader) : nullptr;

    std::vector<Row> rows;
    m_unreachableCards.clear();
    for (const NodeEntry &n : m_cluster->nodes()) {
        std::optional<UnreachableNode> gone;
        if (n.unreachable())
            gone = UnreachableNode::of(*m_cluster, n);
        m_unreachableCards.push_back(gone ? unreachableCard(n, *gone) : Card{});
        Row r;
        const QString conn = NodeConnection::stateName(n.state) + (n.discovered ? tr(" (discovered)") : QString());
        if (!n.hasSnapshot) {
            const uint64_t id = gone ? gone->nodeId : 0;
            r.cells = {id ? QString::number(id) : QStringLiteral("?"), n.address, conn};
            while (r.cells.size() < ColumnCount)
                r.cells << QString();
            r.flag = n.unreachable() ? Flag::Critical : Flag::Muted;
            r.reason = n.error;
            rows.push_back(std::move(r));
            continue;
        }
        const admin::StatusSnapshot &s = n.latest;
        QString lag = QStringLiteral("?");
        if (leaderNode && leaderNode->streaming())
            lag = QString::number(qint64(leaderNode->latest.commit()) - qint64(s.applied()));
        // A node has a link each way per peer; what it sends goes out on the one it dialled, so a
        // peer counts as up when that outbound link is (or, from a node that does not say the
        // direction, any link to it).
        std::map<uint64_t, bool> peerUp;
        QStringList linkLines;
        for (const admin::PeerLink &l : s.links()) {
            bool &up = peerUp[l.peer()];
            if (l.state() == "up" && l.direction() != "inbound")
                up = true;
            linkLines << QStringLiteral("node %1 %2%3 %4%5")
                             .arg(l.peer())
                             .arg(QString::fromStdString(l.address()),
                                  l.direction().empty() ? QString() : QStringLiteral(" (%1)").arg(QString::fromStdString(l.direction())),
                                  QString::fromStdString(l.state()),
                                  l.last_error().empty() ? QString() : QStringLiteral(": ") + QString::fromStdString(l.last_error()));
        }
        const auto up = std::count_if(peerUp.begin(), peerUp.end(), [](const auto &p) { return p.second; });
        const QString version = QStringLiteral("%1 (%2)").arg(QString::fromStdString(s.build().version()),
                                                             QString::fromStdString(s.build().git_hash()));
        r.cells = {QString::number(s.node_id()),
                   n.address,
                   n.streaming() ? conn : conn + tr(" (stale)"),
                   QString::fromStdString(s.role()),
                   s.leader_id() ? QString::number(s.leader_id()) : tr("none"),
                   QString::number(s.term()),
                   QString::number(s.commit()),
                   QString::number(s.applied()),
                   lag,
                   s.ready() ? tr("ready") : tr("no: %1").arg(QString::fromStdString(s.ready_reason())),
                   QString::fromStdString(s.startup_state()),
                   version,
                   formatDuration(s.server_time_unix_ms() - s.process_start_unix_ms()),
                   peerUp.empty() ? tr("none") : tr("%1/%2 peers up").arg(up).arg(peerUp.size()),
                   trafficText(n),
                   diskText(s),
                   fsyncText(s)};
        QStringList reasons;
        if (!n.streaming()) {
            r.flag = Flag::Critical;
            reasons << tr("not streaming: %1 (values are the last seen)").arg(n.error);
        }
        if (!s.halt_reason().empty()) {
            r.flag = Flag::Critical;
            reasons << tr("halted: %1").arg(QString::fromStdString(s.halt_reason()));
        }
        if (n.streaming() && leader && s.leader_id() != leader) {
            r.flag = Flag::Critical;
            reasons << tr("follows %1 while most nodes follow %2").arg(s.leader_id()).arg(leader);
        }
        if (n.streaming() && s.term() != maxTerm) {
            if (r.flag != Flag::Critical)
                r.flag = Flag::Warning;
            reasons << tr("in term %1, another node is in term %2").arg(s.term()).arg(maxTerm);
        }
        if (!s.ready()) {
            if (r.flag == Flag::None)
                r.flag = Flag::Warning;
            reasons << tr("not ready: %1").arg(QString::fromStdString(s.ready_reason()));
        }
        if (s.disks_reported())
            for (const admin::DiskUsage &d : s.disks())
                if (const auto low = HealthAnalyzer::lowDisk(d, m_cluster->diskAlertFreePercent())) {
                    if (r.flag == Flag::None)
                        r.flag = Flag::Warning;
                    reasons << *low;
                }
        if (!linkLines.isEmpty())
            reasons << linkLines;
        r.reason = reasons.join(QLatin1Char('\n'));
        rows.push_back(std::move(r));
    }
    setRows(std::move(rows));
}

NodesModel::Card NodesModel::card(int row) const
{
    if (size_t(row) < m_unreachableCards.size() && !m_unreachableCards[size_t(row)].title.isEmpty())
        return m_unreachableCards[size_t(row)];
    if (text(row, Role).isEmpty()) {   // never answered and not failed yet: connecting
        return Card{text(row, Address), {text(row, Connection)}};
    }
    return streamingCard(row);
}

NodesModel::Card NodesModel::unreachableCard(const NodeEntry &n, const UnreachableNode &u) const
{
    const qint64 now = m_cluster->now();
    Card card;
    card.title = tr("%1 · unreachable").arg(u.label);
    if (u.sinceMs)
        card.lines << tr("since %1 (%2 ago)")
                          .arg(QDateTime::fromMSecsSinceEpoch(u.sinceMs).toString(QStringLiteral("HH:mm:ss")),
                               formatDuration(std::max<qint64>(0, now - u.sinceMs)));
    if (u.lastHeartbeatAgeMs)
        card.lines << tr("last heartbeat %1 ago").arg(formatDuration(*u.lastHeartbeatAgeMs));
    else
        card.lines << tr("last heartbeat: not known (only the controller hears them)");
    if (u.fenced)
        card.lines << (*u.fenced ? tr("fenced") : tr("not fenced"));
    else
        card.lines << tr("not in the broker registry of any reachable node");
    if (!u.nodeId)
        card.lines << tr("partitions it led: not known (no reachable node names this address)");
    else if (!u.partitionsKnown)
        card.lines << tr("partitions it led: not known yet");
    else if (u.ledPartitions.isEmpty())
        card.lines << tr("led no partitions");
    else {
        constexpr int kNamed = 4;
        QString led = tr("led %1").arg(u.ledPartitions.mid(0, kNamed).join(QStringLiteral(", ")));
        if (u.ledPartitions.size() > kNamed)
            led += tr(" and %1 more").arg(u.ledPartitions.size() - kNamed);
        if (u.ledLeftOut > 0)
            led += tr(" (maybe more: an event did not list all its moves)");
        card.lines << led;
    }
    if (!n.error.isEmpty())
        card.lines << n.error;
    card.lines << n.address;
    return card;
}

NodesModel::Card NodesModel::streamingCard(int row) const
{
    const auto cell = [&](Column c) { return text(row, c); };
    Card card;
    card.title = tr("node %1 · %2").arg(cell(Node), cell(Role));
    card.lines << tr("leader %1 · term %2").arg(cell(Leader), cell(Term))
               << tr("commit %1 · applied %2 · lag %3").arg(cell(Commit), cell(Applied), cell(Lag))
               << cell(Ready)
               << cell(Traffic)
               << cell(Disk)
               << cell(Fsync)
               << tr("startup %1 · up %2").arg(cell(Startup), cell(Uptime))
               << cell(Version)
               << tr("%1 · %2").arg(cell(Links), cell(Connection))
               << cell(Address);
    return card;
}

} // namespace skiff::gui
