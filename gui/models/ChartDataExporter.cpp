#include "models/ChartDataExporter.h"

#include "models/ClusterModel.h"
#include "models/NodesModel.h"
#include "models/UnreachableNode.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace skiff::gui {

namespace {

QString eventHistoryName(NodeEntry::EventHistory h)
{
    switch (h) {
    case NodeEntry::EventHistory::Received: return QStringLiteral("received");
    case NodeEntry::EventHistory::Unsupported: return QStringLiteral("unsupported");
    case NodeEntry::EventHistory::Awaited: break;
    }
    return QStringLiteral("awaited");
}

QJsonObject unreachableJson(const UnreachableNode &u)
{
    QJsonObject o{{"label", u.label},
                  {"since_ms", u.sinceMs},
                  {"since_from_heartbeat", u.sinceFromHeartbeat},
                  {"partitions_known", u.partitionsKnown},
                  {"led_partitions", QJsonArray::fromStringList(u.ledPartitions)},
                  {"led_moves_not_listed", qint64(u.ledLeftOut)}};
    // Absent when not known: never an invented value.
    if (u.nodeId)
        o.insert("node_id", qint64(u.nodeId));
    if (u.lastHeartbeatAgeMs)
        o.insert("last_heartbeat_age_ms", qint64(*u.lastHeartbeatAgeMs));
    if (u.fenced)
        o.insert("fenced", *u.fenced);
    return o;
}

} // namespace

QByteArray ChartDataExporter::toJson(const ClusterModel &model)
{
    // The cards as the window shows them (built by the same model).
    NodesModel cards(const_cast<ClusterModel *>(&model));
    QJsonArray nodes;
    int row = 0;
    for (const NodeEntry &n : model.nodes()) {
        const NodesModel::Card card = cards.card(row++);
        QJsonObject o{{"address", n.address},
                      {"discovered", n.discovered},
                      {"connection", NodeConnection::stateName(n.state)},
                      {"error", n.error},
                      {"event_history", eventHistoryName(n.eventHistory)},
                      {"card", QJsonObject{{"title", card.title}, {"lines", QJsonArray::fromStringList(card.lines)}}}};
        if (n.unreachable())
            o.insert("unreachable", unreachableJson(UnreachableNode::of(model, n)));
        if (n.hasSnapshot) {
            const admin::StatusSnapshot &s = n.latest;
            o.insert("node_id", qint64(s.node_id()));
            o.insert("cluster_id", QString::fromStdString(s.cluster_id()));
            o.insert("role", QString::fromStdString(s.role()));
            o.insert("leader_id", qint64(s.leader_id()));
            o.insert("term", qint64(s.term()));
            o.insert("commit", qint64(s.commit()));
            o.insert("applied", qint64(s.applied()));
            o.insert("ready", s.ready());
            o.insert("startup_state", QString::fromStdString(s.startup_state()));
            o.insert("incarnation_id", QString::fromStdString(s.incarnation_id()));
        }
        QJsonArray samples;
        for (size_t i = 0; i < n.history.size(); ++i) {
            const NodeSample &x = n.history[i];
            samples.append(QJsonObject{{"time_ms", x.localMs},
                                       {"server_time_ms", x.serverMs},
                                       {"term", qint64(x.term)},
                                       {"leader_id", qint64(x.leaderId)},
                                       {"commit", qint64(x.commit)},
                                       {"applied", qint64(x.applied)},
                                       {"ready_iterations", qint64(x.iterations)},
                                       {"max_loop_gap_ms", qint64(x.maxLoopGapMs)},
                                       {"loop_interval_ms", x.loopIntervalMs},
                                       {"longest_interval_ms", x.longestIntervalMs},
                                       {"commit_rate", x.commitRate},
                                       {"max_follower_lag", x.maxFollowerLag}});
        }
        o.insert("samples", samples);
        nodes.append(o);
    }
    QJsonArray alerts;
    for (const Alert &a : model.alerts())
        alerts.append(QJsonObject{{"severity", severityName(a.severity)}, {"source", a.source}, {"text", a.text}, {"since_ms", a.sinceMs}});
    QJsonArray events;
    for (const EventEntry *e : model.eventsByTime()) {
        QJsonObject o{{"time_ms", e->timeMs()},
                      {"node_id", qint64(e->event.node_id())},
                      {"kind", QString::fromStdString(e->event.kind())},
                      {"text", QString::fromStdString(e->event.text())},
                      {"sequence", qint64(e->event.sequence())},
                      {"from_history", e->fromHistory}};
        if (e->event.has_leader_moves()) {
            QJsonArray moves;
            for (const admin::PartitionMove &m : e->event.leader_moves().moves())
                moves.append(QJsonObject{{"topic", QString::fromStdString(m.topic())},
                                         {"partition", m.partition()},
                                         {"from", qint64(m.from())},
                                         {"to", qint64(m.to())}});
            o.insert("leader_moves", moves);
        }
        events.append(o);
    }
    QJsonObject root{{"cluster_id", model.clusterId()},
                     {"leader_id", qint64(model.leaderId())},
                     {"health", model.healthSummary()},
                     {"healthy", model.healthy()},
                     {"partitions", model.partitions().partitions_size()},
                     {"nodes", nodes},
                     {"alerts", alerts},
                     {"events", events},
                     {"history_notices", QJsonArray::fromStringList(model.historyNotices())}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray ChartDataExporter::toCsv(const ClusterModel &model)
{
    QByteArray out = "address,node_id,time_ms,server_time_ms,term,leader_id,commit,applied,ready_iterations,max_loop_gap_ms,"
                     "loop_interval_ms,longest_interval_ms,commit_rate,max_follower_lag\n";
    for (const NodeEntry &n : model.nodes()) {
        const QByteArray id = n.hasSnapshot ? QByteArray::number(qulonglong(n.latest.node_id())) : QByteArray();
        for (size_t i = 0; i < n.history.size(); ++i) {
            const NodeSample &x = n.history[i];
            QByteArrayList cells{n.address.toUtf8(), id, QByteArray::number(x.localMs), QByteArray::number(x.serverMs),
                                 QByteArray::number(qulonglong(x.term)), QByteArray::number(qulonglong(x.leaderId)),
                                 QByteArray::number(qulonglong(x.commit)), QByteArray::number(qulonglong(x.applied)),
                                 QByteArray::number(qulonglong(x.iterations)), QByteArray::number(qlonglong(x.maxLoopGapMs)),
                                 x.loopIntervalMs < 0 ? QByteArray() : QByteArray::number(x.loopIntervalMs, 'f', 3),
                                 x.longestIntervalMs < 0 ? QByteArray() : QByteArray::number(x.longestIntervalMs, 'f', 3),
                                 x.commitRate < 0 ? QByteArray() : QByteArray::number(x.commitRate, 'f', 3),
                                 x.maxFollowerLag < 0 ? QByteArray() : QByteArray::number(qlonglong(x.maxFollowerLag))};
            out += cells.join(',') + '\n';
        }
    }
    return out;
}

} // namespace skiff::gui
