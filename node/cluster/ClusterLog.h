#pragma once

#include <QLoggingCategory>

// "skiff.cluster": the Ready loop, membership, the broker registry as applied, refusals of peers.
Q_DECLARE_LOGGING_CATEGORY(lcCluster)
