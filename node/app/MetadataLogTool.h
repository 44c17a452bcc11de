#pragma once
// skiffd's offline commands on a stopped node's metadata log: the way out of a halted loop.
//
//   skiffd --config FILE --metadata-show-entry INDEX        what entry INDEX is (type, term, command)
//   skiffd --config FILE --metadata-skip-entry INDEX:TERM   skip it at every later start
//
// They open the log as the node would (its WAL lock refuses them while the node runs), print,
// and exit: 0 done, 1 the log says no (no such entry, another term), 2 usage.

#include "core/NodeConfig.h"

#include <cstdint>
#include <string>
#include <vector>

namespace skiff::app {

struct MetadataLogCommand {
    enum class Kind { None, Show, Skip } kind = Kind::None;
    uint64_t index = 0;
    uint64_t term = 0;
};

// Takes the commands' flags out of `args` (the rest is configuration). Returns a usage error line,
// or an empty string.
std::string takeMetadataLogCommand(std::vector<std::string> &args, MetadataLogCommand &command);

// Runs it against config.dataDir; prints to stdout (result) and stderr (errors); the exit code.
int runMetadataLogCommand(const MetadataLogCommand &command, const core::NodeConfig &config);

} // namespace skiff::app
