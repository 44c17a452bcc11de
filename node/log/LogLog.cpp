#include "log/LogLog.h"

Q_LOGGING_CATEGORY(lcLog, "skiff.log")
