#include "log/LogCategory.h"

namespace skiff::log {
// Recovery actions are info/warning; per-roll chatter is debug and off by default.
Q_LOGGING_CATEGORY(lcLog, "skiff.log", QtInfoMsg)
}
