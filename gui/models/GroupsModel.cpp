#include "models/GroupsModel.h"

#include "models/ClusterModel.h"

namespace skiff::gui {
namespace {

// "consumer-1 (10.0.0.5): orders 0,1; payments 2" per member, for the Members cell's tooltip.
QString memberLines(const admin::Group &g)
{
    QStringList lines;
    for (const admin::GroupMember &m : g.members()) {
        QStringList assigned;
        for (const admin::GroupMember::Assigned &a : m.assignment()) {
            QStringList partitions;
            for (int32_t p : a.partitions())
                partitions << QString::number(p);
            assigned << QStringLiteral("%1 %2").arg(QString::fromStdString(a.topic()), partitions.join(QLatin1Char(',')));
        }
        lines << QStringLiteral("%1 (%2)%3%4")
                     .arg(QString::fromStdString(m.client_id()), QString::fromStdString(m.client_host()),
                          assigned.isEmpty() ? QString() : QStringLiteral(": "), assigned.join(QStringLiteral("; ")));
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

GroupsModel::GroupsModel(ClusterModel *cluster, QObject *parent)
    : RowTableModel({tr("Group"), tr("State"), tr("Protocol"), tr("Generation"), tr("Coordinator"), tr("Members"),
                     tr("Total lag"), tr("Lag trend")},
                    parent),
      m_cluster(cluster)
{
    connect(cluster, &ClusterModel::groupsChanged, this, &GroupsModel::scheduleRebuild);
    rebuild();
}

void GroupsModel::rebuild()
{
    std::vector<Row> rows;
    for (const GroupEntry &e : m_cluster->groups()) {
        const admin::Group &g = e.group;
        Row r;
        const QString protocol = g.protocol_type().empty()
                                     ? tr("offsets only")
                                     : QStringLiteral("%1 (%2)").arg(QString::fromStdString(g.protocol_type()),
                                                                     g.protocol().empty() ? tr("no assignor yet")
                                                                                          : QString::fromStdString(g.protocol()));
        r.cells = {QString::fromStdString(g.group_id()), QString::fromStdString(g.state()), protocol, g.generation(),
                   qulonglong(g.coordinator()), g.members_size(),
                   e.lagKnown ? QVariant(qlonglong(e.totalLag)) : QVariant(tr("not known")),
                   e.lagGrowing ? tr("growing") : e.lagKnown ? tr("steady or falling") : tr("not known")};
        r.sortKeys = r.cells;
        r.sortKeys[TotalLag] = e.lagKnown ? qlonglong(e.totalLag) : qlonglong(-1);
        r.reason = memberLines(g);
        if (e.lagGrowing) {
            r.flag = Flag::Warning;
            r.reason = tr("lag rose at each of the last %1 polls: the consumers fall behind")
                           .arg(ClusterModel::kGrowingLagPolls) +
                       (r.reason.isEmpty() ? QString() : QStringLiteral("\n") + r.reason);
        } else if (g.state() == "Dead" || g.state() == "Empty") {
            r.flag = Flag::Muted;
        }
        rows.push_back(std::move(r));
    }
    setRows(std::move(rows));
}

GroupOffsetsModel::GroupOffsetsModel(ClusterModel *cluster, QObject *parent)
    : RowTableModel({tr("Group"), tr("Topic"), tr("Partition"), tr("Committed"), tr("HW"), tr("Lag")}, parent),
      m_cluster(cluster)
{
    connect(cluster, &ClusterModel::groupsChanged, this, &GroupOffsetsModel::scheduleRebuild);
    rebuild();
}

void GroupOffsetsModel::rebuild()
{
    std::vector<Row> rows;
    for (const GroupEntry &e : m_cluster->groups())
        for (const admin::GroupOffset &o : e.group.offsets()) {
            Row r;
            const QString unknown = tr("not known");
            r.cells = {QString::fromStdString(e.group.group_id()), QString::fromStdString(o.topic()), o.partition(),
                       qlonglong(o.committed()),
                       o.lag_known() ? QVariant(qlonglong(o.high_watermark())) : QVariant(unknown),
                       o.lag_known() ? QVariant(qlonglong(o.lag())) : QVariant(unknown)};
            r.sortKeys = r.cells;
            r.sortKeys[HighWatermark] = o.lag_known() ? qlonglong(o.high_watermark()) : qlonglong(-1);
            r.sortKeys[Lag] = o.lag_known() ? qlonglong(o.lag()) : qlonglong(-1);
            rows.push_back(std::move(r));
        }
    setRows(std::move(rows));
}

} // namespace skiff::gui
