#pragma once
// The charts' data as JSON (one object: nodes with their latest view, their card as shown and,
// for one that cannot be reached, what the others last saw of it; alerts; the events merged by
// the nodes' times; and every sample kept) or CSV (one line per sample). What an operator
// attaches to an incident report; tests read the JSON.

#include <QByteArray>

namespace skiff::gui {

class ClusterModel;

class ChartDataExporter {
public:
    static QByteArray toJson(const ClusterModel &model);
    static QByteArray toCsv(const ClusterModel &model);
};

} // namespace skiff::gui
