#pragma once
// "skiff.sync": lock witness and watchdog reports.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcSync)
