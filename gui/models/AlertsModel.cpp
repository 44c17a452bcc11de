#include "models/AlertsModel.h"

#include "models/ClusterModel.h"

#include <QDateTime>

namespace skiff::gui {

AlertsModel::AlertsModel(ClusterModel *cluster, QObject *parent)
    : RowTableModel({tr("Severity"), tr("Source"), tr("Alert"), tr("Since")}, parent), m_cluster(cluster)
{
    connect(cluster, &ClusterModel::alertsChanged, this, &AlertsModel::scheduleRebuild);
    rebuild();
}

void AlertsModel::rebuild()
{
    std::vector<Row> rows;
    for (const Alert &a : m_cluster->alerts()) {
        Row r;
        r.cells = {severityName(a.severity), a.source, a.text,
                   QDateTime::fromMSecsSinceEpoch(a.sinceMs).toString(QStringLiteral("HH:mm:ss"))};
        r.flag = a.severity == Alert::Severity::Critical ? Flag::Critical : Flag::Warning;
        r.reason = a.text;
        rows.push_back(std::move(r));
    }
    setRows(std::move(rows));
}

} // namespace skiff::gui
