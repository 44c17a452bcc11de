#pragma once
// "skiff.node": the process: start-up states, limits, HTTP, systemd, watchdog reports.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcNode)
