#pragma once
// "skiff.wal": the metadata write-ahead log: recovery, compaction, sync failures.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcWal)
