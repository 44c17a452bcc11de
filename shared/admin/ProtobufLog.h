#pragma once
// "skiff.protobuf": protobuf's own complaints, e.g. invalid UTF-8 in a string field of a garbage frame.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcProtobuf)
