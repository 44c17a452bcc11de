#pragma once
// "skiff.log": partition logs: recovery, segment rolls, retention, file handles.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcLog)
