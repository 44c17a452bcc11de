#include "app/NodeLog.h"

Q_LOGGING_CATEGORY(lcNode, "skiff.node")
