#include "models/EventsModel.h"

#include "models/ClusterModel.h"
#include "models/HealthAnalyzer.h"

#include <QDateTime>

#include <set>

namespace skiff::gui {

EventsModel::EventsModel(ClusterModel *cluster, QObject *parent)
    : RowTableModel({tr("Time"), tr("Node"), tr("Kind"), tr("Event")}, parent), m_cluster(cluster)
{
    connect(cluster, &ClusterModel::eventsChanged, this, &EventsModel::scheduleRebuild);
    rebuild();
}

void EventsModel::setNodeFilter(uint64_t nodeId)
{
    m_nodeFilter = nodeId;
    rebuild();
}

void EventsModel::setKindFilter(const QString &kind)
{
    m_kindFilter = kind;
    rebuild();
}

QStringList EventsModel::kinds() const
{
    std::set<QString> kinds;
    const auto &events = m_cluster->events();
    for (size_t i = 0; i < events.size(); ++i)
        kinds.insert(QString::fromStdString(events[i].event.kind()));
    return QStringList(kinds.begin(), kinds.end());
}

QList<uint64_t> EventsModel::nodeIds() const
{
    std::set<uint64_t> ids;
    const auto &events = m_cluster->events();
    for (size_t i = 0; i < events.size(); ++i)
        ids.insert(events[i].event.node_id());
    return QList<uint64_t>(ids.begin(), ids.end());
}

void EventsModel::rebuild()
{
    std::vector<Row> rows;
    // The nodes' histories and streams merged by the nodes' times.
    const std::vector<const EventEntry *> events = m_cluster->eventsByTime();
    for (size_t i = events.size(); i-- > 0;) {
        const admin::Event &e = events[i]->event;
        const QString kind = QString::fromStdString(e.kind());
        if (m_nodeFilter && e.node_id() != m_nodeFilter)
            continue;
        if (!m_kindFilter.isEmpty() && kind != m_kindFilter)
            continue;
        Row r;
        const qint64 t = events[i]->timeMs();
        r.cells = {QDateTime::fromMSecsSinceEpoch(t).toString(QStringLiteral("HH:mm:ss.zzz")), QString::number(e.node_id()), kind,
                   QString::fromStdString(e.text())};
        switch (e.event_kind()) {
        case admin::EVENT_KIND_HALTED:
        case admin::EVENT_KIND_PARTITION_OFFLINE:
            r.flag = Flag::Critical;
            break;
        case admin::EVENT_KIND_BROKER_FENCED:
        case admin::EVENT_KIND_LINK_DOWN:
        case admin::EVENT_KIND_LINK_REFUSED:
            r.flag = Flag::Warning;
            break;
        default:
            r.flag = HealthAnalyzer::raisesAlert(e.event_kind()) ? Flag::Critical : Flag::None;
            break;
        }
        rows.push_back(std::move(r));
    }
    setRows(std::move(rows));
}

} // namespace skiff::gui
