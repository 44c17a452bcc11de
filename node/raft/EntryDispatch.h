#pragma once
// The one place committed entries are decoded for the applier: dispatches on Entry.type so that
// nothing is ever decoded as the wrong type, and an unknown or unspecified type stops the apply
// with an error naming the entry ("entry 42 has unknown type 7; refusing to apply").

#include "common/Status.h"
#include "raft.pb.h"

#include <functional>

namespace skiff::raft {

struct EntryHandlers {
    std::function<Status(const Entry &)> onNormal;                         // data: a metadata command
    std::function<Status(const Entry &, const ConfChange &)> onConfChange;  // data decoded for you
    std::function<Status(const Entry &)> onNoop;                           // optional
};

Status dispatchEntry(const Entry &entry, const EntryHandlers &handlers);

} // namespace skiff::raft
