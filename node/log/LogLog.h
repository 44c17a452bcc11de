#pragma once
// "skiff.log": partition logs: recovery, segment rolls, retention, file handles.
// "skiff.producers": every idempotent-producer decision (appended as next, first seen, new epoch,
// duplicate, refused) and every producer batch a follower records, at debug level: what tells a
// duplicate the broker let through from one the client made (a new producer epoch).

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcLog)
Q_DECLARE_LOGGING_CATEGORY(lcProducers)
