#pragma once
// "skiff.cluster": the Ready loop, membership, the broker registry as applied, refusals of peers.

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcCluster)
