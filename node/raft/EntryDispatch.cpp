#include "raft/EntryDispatch.h"

#include <string>

namespace skiff::raft {

using std::to_string;

Status dispatchEntry(const Entry &entry, const EntryHandlers &handlers)
{
    const std::string where = "entry " + to_string(entry.index()) + " (term " + to_string(entry.term()) + ")";
    switch (entry.type()) {
    case ENTRY_NORMAL:
        if (!handlers.onNormal)
            return internalError(where + " is NORMAL but the applier has no handler for NORMAL entries");
        return handlers.onNormal(entry);
    case ENTRY_CONF_CHANGE: {
        ConfChange cc;
        if (!cc.ParseFromString(entry.data()))
            return corruption(where + " is CONF_CHANGE but its data does not decode as a ConfChange; refusing to apply");
        if (!handlers.onConfChange)
            return internalError(where + " is CONF_CHANGE but the applier has no handler for it");
        return handlers.onConfChange(entry, cc);
    }
    case ENTRY_NOOP:
        if (!entry.data().empty())
            return corruption(where + " is NOOP but carries " + to_string(entry.data().size()) +
                              " bytes of data; refusing to apply");
        return handlers.onNoop ? handlers.onNoop(entry) : Status::ok();
    default:
        return corruption("entry " + to_string(entry.index()) + " has unknown type " + to_string(int(entry.type())) +
                          "; refusing to apply (written by a newer version, or corrupted)");
    }
}

} // namespace skiff::raft
