#pragma once
// Logging category "skiff.sync" (witness and watchdog reports).

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcSync)
