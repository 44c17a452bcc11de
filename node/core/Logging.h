#pragma once
// Logging goes through Qt logging categories, one per subsystem, each declared in that
// subsystem's <Subsystem>Log.h: skiff.node (app/NodeLog.h), skiff.kafka, skiff.log, skiff.wal,
// skiff.cluster, skiff.peer, skiff.admin, skiff.sync, skiff.protobuf. The Raft core and the
// metadata state machine log nothing (pure). This installs the format and the level filter.

#include <string>

namespace skiff::core {

// "2026-11-22T07:40:00.123Z info skiff.kafka: message". Level is debug, info, warning, critical.
void installLogging(const std::string &level, const std::string &extraRules);

} // namespace skiff::core
