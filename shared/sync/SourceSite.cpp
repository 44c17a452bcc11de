#include "sync/SourceSite.h"

#include <cstring>

namespace skiff::sync {

std::string formatSite(SourceSite site)
{
    if (!site.file)
        return "<unknown site>";
    const char *file = site.file;
#ifdef SKIFF_SYNC_SOURCE_ROOT
    // Absolute build paths differ per machine; the operator wants the path in the repository.
    const char *root = SKIFF_SYNC_SOURCE_ROOT;
    const size_t rootLength = std::strlen(root);
    if (std::strncmp(file, root, rootLength) == 0)
        file += rootLength;
#endif
    // Builds through ccache with CCACHE_BASEDIR see paths relative to the build directory
    // ("../node/raft/Raft.cpp"); the repository path is what is left without the climb.
    while (std::strncmp(file, "../", 3) == 0 || std::strncmp(file, "./", 2) == 0)
        file += file[0] == '.' && file[1] == '/' ? 2 : 3;
    return std::string(file) + ":" + std::to_string(site.line);
}

} // namespace skiff::sync
