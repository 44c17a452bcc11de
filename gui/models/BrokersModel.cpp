#include "models/BrokersModel.h"

#include "models/ClusterModel.h"

#include <map>
#include <set>

namespace skiff::gui {

BrokersModel::BrokersModel(ClusterModel *cluster, QObject *parent)
    : RowTableModel({tr("Broker"), tr("Seen by"), tr("Kafka address"), tr("Rack"), tr("Fenced"), tr("Incarnation"),
                     tr("Heartbeat age"), tr("Admin address"), tr("Disagreement")},
                    parent),
      m_cluster(cluster)
{
    connect(cluster, &ClusterModel::nodesChanged, this, &BrokersModel::scheduleRebuild);
    rebuild();
}

void BrokersModel::rebuild()
{
    struct View {
        uint64_t seenBy;
        admin::Broker broker;
    };
    std::map<uint64_t, std::vector<View>> byBroker;
    for (const NodeEntry &n : m_cluster->nodes())
        if (n.streaming())
            for (const admin::Broker &b : n.latest.brokers())
                byBroker[b.id()].push_back(View{n.latest.node_id(), b});

    std::vector<Row> rows;
    for (const auto &[id, views] : byBroker) {
        // Fields that are not the same in every node's registry. Heartbeat age is not compared:
        // only the controller hears heartbeats.
        QStringList differing;
        auto differs = [&](auto field) {
            std::set<std::string> values;
            for (const View &v : views)
                values.insert(field(v.broker));
            return values.size() > 1;
        };
        if (differs([](const admin::Broker &b) { return b.host() + ":" + std::to_string(b.port()); }))
            differing << tr("address");
        if (differs([](const admin::Broker &b) { return b.rack(); }))
            differing << tr("rack");
        if (differs([](const admin::Broker &b) { return std::string(b.fenced() ? "1" : "0"); }))
            differing << tr("fenced");
        if (differs([](const admin::Broker &b) { return b.incarnation_id(); }))
            differing << tr("incarnation");
        if (differs([](const admin::Broker &b) { return b.admin_address(); }))
            differing << tr("admin address");

        for (const View &v : views) {
            const admin::Broker &b = v.broker;
            Row r;
            r.cells = {QString::number(id),
                       QStringLiteral("node %1").arg(v.seenBy),
                       QStringLiteral("%1:%2").arg(QString::fromStdString(b.host())).arg(b.port()),
                       b.rack().empty() ? QStringLiteral("—") : QString::fromStdString(b.rack()),
                       b.fenced() ? tr("fenced") : tr("no"),
                       QString::fromStdString(b.incarnation_id()).left(8),
                       b.heartbeat_known() ? QStringLiteral("%1 ms").arg(b.last_heartbeat_age_ms()) : QStringLiteral("—"),
                       QString::fromStdString(b.admin_address()),
                       differing.isEmpty() ? QString() : differing.join(QStringLiteral(", "))};
            if (!differing.isEmpty()) {
                r.flag = Flag::Critical;
                r.reason = tr("nodes disagree about broker %1: %2").arg(id).arg(differing.join(QStringLiteral(", ")));
            } else if (b.fenced()) {
                r.flag = Flag::Warning;
                r.reason = tr("fenced: silent for longer than broker.session.timeout.ms");
            } else if (!b.heartbeat_known()) {
                r.reason = tr("heartbeat age is known only to the controller (the Raft leader)");
            }
            rows.push_back(std::move(r));
        }
    }
    setRows(std::move(rows));
}

} // namespace skiff::gui
