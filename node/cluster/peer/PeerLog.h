#pragma once
// "skiff.peer": link refusals, malformed input, links going up and down.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcPeer)
