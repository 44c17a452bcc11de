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
    return std::string(file) + ":" + std::to_string(site.line);
}

} // namespace skiff::sync
