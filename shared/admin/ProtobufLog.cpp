#include "admin/ProtobufLog.h"

Q_LOGGING_CATEGORY(lcProtobuf, "skiff.protobuf")
