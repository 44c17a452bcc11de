#pragma once
// The human view of a StatusSnapshot: labelled rows, so one node prints as a list and several
// print side by side (status) or refresh in place (watch).

#include "admin.pb.h"

#include <string>
#include <utility>
#include <vector>

namespace skiff::ctl {

std::vector<std::pair<std::string, std::string>> statusRows(const admin::StatusSnapshot &status);

// "" when every node sees the same leader and term; otherwise one line naming who sees what.
std::string disagreement(const std::vector<admin::StatusSnapshot> &statuses);

} // namespace skiff::ctl
