#pragma once
// Private to node/log: the "skiff.log" logging category for recovery actions.

#include <QLoggingCategory>

namespace skiff::log {
Q_DECLARE_LOGGING_CATEGORY(lcLog)
}
