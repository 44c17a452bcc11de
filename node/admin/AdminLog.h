#pragma once
// "skiff.admin": the admin socket: connections, refusals, mutations asked for.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcAdmin)
