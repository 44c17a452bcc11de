#include "admin/ProtobufLogging.h"

#include "admin/ProtobufLog.h"

#include <google/protobuf/stubs/logging.h>

namespace skiff::admin {
namespace {

void toQtLogging(google::protobuf::LogLevel level, const char *file, int line, const std::string &message)
{
    switch (level) {
    case google::protobuf::LOGLEVEL_INFO:
        qCInfo(lcProtobuf, "%s (%s:%d)", message.c_str(), file, line);
        break;
    case google::protobuf::LOGLEVEL_WARNING:
        qCWarning(lcProtobuf, "%s (%s:%d)", message.c_str(), file, line);
        break;
    default:   // ERROR; FATAL aborts in protobuf after this returns
        qCCritical(lcProtobuf, "%s (%s:%d)", message.c_str(), file, line);
        break;
    }
}

} // namespace

void installProtobufLogHandler() { google::protobuf::SetLogHandler(&toQtLogging); }

} // namespace skiff::admin
