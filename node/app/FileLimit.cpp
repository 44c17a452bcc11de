#include "app/FileLimit.h"

#include <cerrno>
#include <cstring>
#include <sys/resource.h>

namespace skiff::app {

FileLimit raiseFileLimit()
{
    FileLimit out;
    rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        out.error = std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno);
        return out;
    }
    out.softBefore = out.soft = uint64_t(limit.rlim_cur);
    out.hard = uint64_t(limit.rlim_max);
    if (limit.rlim_cur == limit.rlim_max)
        return out;
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) {
        out.error = std::string("setrlimit(RLIMIT_NOFILE): ") + std::strerror(errno);
        return out;
    }
    out.soft = out.hard;
    return out;
}

std::string describeFileLimit(uint64_t limit)
{
    return limit == uint64_t(RLIM_INFINITY) ? std::string("unlimited") : std::to_string(limit);
}

} // namespace skiff::app
