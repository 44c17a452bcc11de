#include "models/ChartDataExporter.h"

#include "admin/AdminProtocol.h"
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

// Per second; the cluster's, a node's or a topic's (topic left out when empty).
QJsonObject ratesJson(const admin::TrafficRates &r, const std::string &topic = {})
{
    QJsonObject o{{"messages_in", r.messagesIn},
                  {"bytes_in", r.bytesIn},
                  {"consumer_messages_out", r.consumerMessagesOut},
                  {"consumer_bytes_out", r.consumerBytesOut},
                  {"replica_messages_out", r.replicaMessagesOut},
                  {"replica_bytes_out", r.replicaBytesOut},
                  {"replica_messages_in", r.replicaMessagesIn},
                  {"replica_bytes_in", r.replicaBytesIn}};
    if (!topic.empty())
        o.insert("topic", QString::fromStdString(topic));
    return o;
}

QJsonArray ratesJson(const std::vector<admin::TopicRates> &rates)
{
    QJsonArray out;
    for (const admin::TopicRates &r : rates)
        out.append(ratesJson(r.rates, r.topic));
    return out;
}

// The partitions as the Partitions tab has them; the leader's log figures only where it reported them.
QJsonArray partitionsJson(const admin::PartitionList &list)
{
    QJsonArray out;
    for (const admin::Partition &p : list.partitions()) {
        QJsonObject o{{"topic", QString::fromStdString(p.topic())},
                      {"partition", p.partition()},
                      {"leader", qint64(p.leader())},
                      {"leader_epoch", p.leader_epoch()},
                      {"replicas", p.replicas_size()},
                      {"isr", p.isr_size()},
                      {"state", QString::fromLatin1(admin::partitionStateText(p.state()))}};
        if (p.has_replication()) {
            const admin::PartitionReplication &r = p.replication();
            o.insert("high_watermark", qint64(r.high_watermark()));
            o.insert("log_end", qint64(r.log_end()));
            if (r.log_size_reported()) {
                o.insert("log_start", qint64(r.log_start()));
                o.insert("size_bytes", qint64(r.size_bytes()));
                o.insert("segments", r.segments());
            }
        }
        out.append(o);
    }
    return out;
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
            o.insert("traffic_reported", s.traffic_reported());
            o.insert("disks_reported", s.disks_reported());
        }
        if (n.topicRates)
            o.insert("topic_rates", ratesJson(*n.topicRates));
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
                                       {"max_follower_lag", x.maxFollowerLag},
                                       {"bytes_in", x.bytesIn},
                                       {"consumer_bytes_out", x.consumerBytesOut},
                                       {"replica_bytes_out", x.replicaBytesOut},
                                       {"messages_in", x.messagesIn},
                                       {"produce_acks_all_p99_ms", x.produceAllP99Ms},
                                       {"fetch_consumer_p99_ms", x.fetchConsumerP99Ms}});
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
                     {"partition_list", partitionsJson(model.partitions())},
                     {"topic_rates", ratesJson(model.topicRates())},
                     {"nodes", nodes},
                     {"alerts", alerts},
                     {"events", events},
                     {"history_notices", QJsonArray::fromStringList(model.historyNotices())}};
    if (const auto total = model.clusterTraffic())
        root.insert("cluster_traffic", ratesJson(*total));
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

QByteArray ChartDataExporter::toCsv(const ClusterModel &model)
{
    QByteArray out = "address,node_id,time_ms,server_time_ms,term,leader_id,commit,applied,ready_iterations,max_loop_gap_ms,"
                     "loop_interval_ms,longest_interval_ms,commit_rate,max_follower_lag,bytes_in,consumer_bytes_out,"
                     "replica_bytes_out,messages_in,produce_acks_all_p99_ms,fetch_consumer_p99_ms\n";
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
            for (double figure : {x.bytesIn, x.consumerBytesOut, x.replicaBytesOut, x.messagesIn, x.produceAllP99Ms, x.fetchConsumerP99Ms})
                cells << (figure < 0 ? QByteArray() : QByteArray::number(figure, 'f', 3));
            out += cells.join(',') + '\n';
        }
    }
    return out;
}

} // namespace skiff::gui
