#pragma once
// skiffctl's commands; each returns the process exit code (CtlCommon.h).

#include "ctl/CtlOptions.h"

namespace skiff::ctl {

int runStatus(const CtlOptions &options);
int runBrokers(const CtlOptions &options);
int runTopics(const CtlOptions &options);
int runRaft(const CtlOptions &options);
int runLocks(const CtlOptions &options);
int runWatch(const CtlOptions &options);
// transfer-leader, add-node, remove-node, create-topic, delete-topic, elect-leaders; kExitUsage for other names.
int runMutation(const CtlOptions &options);

} // namespace skiff::ctl
