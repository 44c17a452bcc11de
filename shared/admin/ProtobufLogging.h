#pragma once
// Protobuf's own complaints (e.g. invalid UTF-8 in a string field of a garbage frame) go to the
// "skiff.protobuf" logging category (ProtobufLog.h) instead of straight to stderr, so they carry
// the process's log format and obey its logging rules. Call once at start-up, before any thread
// parses.

namespace skiff::admin {

void installProtobufLogHandler();

} // namespace skiff::admin
