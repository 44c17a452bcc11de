#include "wal/WalLog.h"

Q_LOGGING_CATEGORY(lcWal, "skiff.wal")
