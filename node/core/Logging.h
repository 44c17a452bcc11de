#pragma once
// Logging goes through Qt logging categories, one per subsystem (skiff.node, skiff.kafka,
// skiff.log, skiff.metadata, skiff.raft, skiff.wal, skiff.cluster, skiff.admin). Each library
// defines the categories it uses; this installs the format and the level filter.

#include <QLoggingCategory>

#include <string>

Q_DECLARE_LOGGING_CATEGORY(lcNode)

namespace skiff::core {

// "2026-11-22T07:40:00.123Z info skiff.kafka: message". Level is debug, info, warning, critical.
void installLogging(const std::string &level, const std::string &extraRules);

} // namespace skiff::core
