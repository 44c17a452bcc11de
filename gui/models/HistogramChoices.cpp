#include "models/HistogramChoices.h"

#include <QCoreApplication>

namespace skiff::gui {
namespace {

QString tr(const char *text) { return QCoreApplication::translate("HistogramChoices", text); }

} // namespace

std::vector<HistogramChoice> HistogramChoices::of(const admin::StatusSnapshot &s)
{
    std::vector<HistogramChoice> out;
    if (s.has_ready_loop_interval_micros())
        out.push_back({QStringLiteral("loop"), tr("Ready loop — interval"), tr("Ready-loop interval"), &s.ready_loop_interval_micros()});
    for (const admin::ReadyLoopPhase &p : s.ready_loop_phases()) {
        const QString phase = QString::fromStdString(p.phase());
        out.push_back({QStringLiteral("phase:") + phase, tr("Ready loop — %1").arg(phase), tr("Ready-loop %1 phase").arg(phase), &p.micros()});
    }
    if (s.wal_fsync_measured())
        out.push_back({QStringLiteral("wal"), tr("WAL fsync"), tr("WAL fsync"), &s.wal_fsync_micros()});
    if (s.log_fsync_measured())
        out.push_back({QStringLiteral("log"), tr("Partition-log fsync"), tr("Partition-log fsync"), &s.log_fsync_micros()});
    for (const admin::LockClass &l : s.locks()) {
        const QString name = QString::fromStdString(l.name());
        out.push_back({QStringLiteral("wait:") + name, tr("%1 — wait").arg(name), tr("%1 wait (contended acquisitions)").arg(name), &l.wait_micros()});
        out.push_back({QStringLiteral("hold:") + name, tr("%1 — hold").arg(name), tr("%1 hold").arg(name), &l.hold_micros()});
    }
    return out;
}

QString HistogramChoices::mostInteresting(const admin::StatusSnapshot &s)
{
    QString busiest;
    uint64_t waits = 0, holds = 0;
    for (const admin::LockClass &l : s.locks()) {
        const QString name = QString::fromStdString(l.name());
        if (l.wait_micros().count() > waits) {
            waits = l.wait_micros().count();
            busiest = QStringLiteral("wait:") + name;
        } else if (waits == 0 && l.hold_micros().count() > holds) {
            holds = l.hold_micros().count();
            busiest = QStringLiteral("hold:") + name;
        }
    }
    if (!busiest.isEmpty())
        return busiest;
    const std::vector<HistogramChoice> all = of(s);
    return all.empty() ? QString() : all.front().key;
}

} // namespace skiff::gui
