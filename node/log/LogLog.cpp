#include "log/LogLog.h"

Q_LOGGING_CATEGORY(lcLog, "skiff.log")
Q_LOGGING_CATEGORY(lcProducers, "skiff.producers")
