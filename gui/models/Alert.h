#pragma once
// One reason the cluster is not healthy, as shown in the health line and the alerts table.

#include <QString>

namespace skiff::gui {

struct Alert {
    enum class Severity { Warning, Critical };
    Severity severity = Severity::Warning;
    QString source;   // "cluster", "node 2", "broker 3", "topic t"
    QString text;     // one line for an operator
    qint64 sinceMs = 0;   // when it was first seen (event alerts: the event's time)
};

inline QString severityName(Alert::Severity s) { return s == Alert::Severity::Critical ? QStringLiteral("critical") : QStringLiteral("warning"); }

} // namespace skiff::gui
