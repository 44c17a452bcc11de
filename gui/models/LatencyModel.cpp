#include "models/LatencyModel.h"

#include "models/ClusterModel.h"
#include "models/Format.h"

namespace skiff::gui {

LatencyModel::LatencyModel(ClusterModel *cluster, QObject *parent)
    : RowTableModel({tr("Node"), tr("API"), tr("Requests"), tr("Requests/s"), tr("p50"), tr("p99"), tr("Max"),
                     tr("p99 last %1 s").arg(ClusterModel::kRateSpanMs / 1000)},
                    parent),
      m_cluster(cluster)
{
    connect(cluster, &ClusterModel::nodesChanged, this, &LatencyModel::scheduleRebuild);
    rebuild();
}

void LatencyModel::rebuild()
{
    std::vector<Row> rows;
    for (const NodeEntry &n : m_cluster->nodes()) {
        if (!n.hasSnapshot)
            continue;
        const admin::StatusSnapshot &s = n.latest;
        const qulonglong node = s.node_id();
        if (!s.kafka_requests_measured()) {
            Row r;
            r.cells = {node, tr("node too old for this view")};
            while (r.cells.size() < ColumnCount)
                r.cells << QStringLiteral("—");
            r.flag = Flag::Muted;
            rows.push_back(std::move(r));
            continue;
        }
        const auto add = [&](const admin::KafkaApiCount &c, const std::string &key, const QString &name) {
            const admin::Histogram &h = c.latency_micros();
            const auto recent = n.recentLatency.find(key);
            const bool hasRecent = recent != n.recentLatency.end();
            const bool hasRecentP99 = hasRecent && recent->second.p99Micros;
            Row r;
            r.cells = {node, name, qulonglong(c.requests()),
                       hasRecent ? formatCountRate(recent->second.requestsPerSecond) : tr("not yet"),
                       h.count() ? formatMicros(h.p50()) : tr("none"), h.count() ? formatMicros(h.p99()) : tr("none"),
                       h.count() ? formatMicros(h.max()) : tr("none"),
                       hasRecentP99 ? formatMicros(*recent->second.p99Micros) : hasRecent ? tr("none") : tr("not yet")};
            r.sortKeys = {node, name, qulonglong(c.requests()), hasRecent ? recent->second.requestsPerSecond : -1.0,
                          qlonglong(h.p50()), qlonglong(h.p99()), qlonglong(h.max()),
                          hasRecentP99 ? qlonglong(*recent->second.p99Micros) : qlonglong(-1)};
            if (!n.streaming())
                r.flag = Flag::Muted;   // the last figures seen
            rows.push_back(std::move(r));
        };
        for (const admin::KafkaApiCount &api : s.kafka_requests()) {
            add(api, NodeEntry::latencyKey(api.api()), QString::fromStdString(api.api()));
            for (const admin::KafkaApiCount &v : api.variants())
                add(v, NodeEntry::latencyKey(api.api(), v.api()),
                    QStringLiteral("%1 %2").arg(QString::fromStdString(api.api()), QString::fromStdString(v.api())));
        }
    }
    setRows(std::move(rows));
}

} // namespace skiff::gui
