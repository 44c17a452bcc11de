#include "models/Format.h"

#include <iterator>

namespace skiff::gui {

QString formatDuration(qint64 ms)
{
    if (ms < 0)
        return QStringLiteral("?");
    const qint64 s = ms / 1000;
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m %2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    if (s < 86400)
        return QStringLiteral("%1h %2m").arg(s / 3600).arg((s / 60) % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1d %2h").arg(s / 86400).arg((s / 3600) % 24);
}

QString formatMicros(qint64 micros)
{
    if (micros < 1000)
        return QStringLiteral("%1 µs").arg(micros);
    if (micros < 1000000)
        return QStringLiteral("%1 ms").arg(double(micros) / 1000.0, 0, 'f', micros < 10000 ? 2 : 1);
    return QStringLiteral("%1 s").arg(double(micros) / 1e6, 0, 'f', 2);
}

QString formatBytes(double bytes)
{
    static const char *const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int unit = 0;
    while (bytes >= 1024 && unit + 1 < int(std::size(kUnits))) {
        bytes /= 1024;
        ++unit;
    }
    if (unit == 0)
        return QStringLiteral("%1 B").arg(qint64(bytes));
    return QStringLiteral("%1 %2").arg(bytes, 0, 'f', bytes < 10 ? 2 : 1).arg(QLatin1String(kUnits[unit]));
}

QString formatByteRate(double bytesPerSecond) { return formatBytes(bytesPerSecond) + QStringLiteral("/s"); }

QString formatCountRate(double perSecond)
{
    if (perSecond < 1000)
        return QStringLiteral("%1/s").arg(perSecond, 0, 'f', perSecond < 10 && perSecond != 0 ? 1 : 0);
    if (perSecond < 1e6)
        return QStringLiteral("%1k/s").arg(perSecond / 1e3, 0, 'f', 1);
    return QStringLiteral("%1M/s").arg(perSecond / 1e6, 0, 'f', 2);
}

} // namespace skiff::gui
