#pragma once

#include <QLoggingCategory>

// "skiff.peer": link refusals, malformed input, links going up and down.
Q_DECLARE_LOGGING_CATEGORY(lcPeer)
