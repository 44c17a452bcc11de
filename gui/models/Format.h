#pragma once
// Small text formats shared by the tables and the header line.

#include <QString>

namespace skiff::gui {

// 3725000 -> "1h 02m", 42000 -> "42s".
QString formatDuration(qint64 ms);
// Microseconds for histogram figures: "850 µs", "12.3 ms", "1.20 s".
QString formatMicros(qint64 micros);

} // namespace skiff::gui
