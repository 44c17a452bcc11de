#pragma once
// Small text formats shared by the tables and the header line.

#include <QString>

namespace skiff::gui {

// 3725000 -> "1h 02m", 42000 -> "42s".
QString formatDuration(qint64 ms);
// Microseconds for histogram figures: "850 µs", "12.3 ms", "1.20 s".
QString formatMicros(qint64 micros);
// Sizes in binary units: "512 B", "1.5 KiB", "20.0 MiB", "1.25 GiB".
QString formatBytes(double bytes);
// Per second: "1.5 KiB/s"; messages: "850/s", "20.0k/s", "1.20M/s".
QString formatByteRate(double bytesPerSecond);
QString formatCountRate(double perSecond);

} // namespace skiff::gui
