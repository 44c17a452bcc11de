#include "cluster/SkippedEntries.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace skiff::cluster {

Result<SkippedEntries> SkippedEntries::load(const std::string &path)
{
    SkippedEntries out;
    std::ifstream in(path);
    if (!in)
        return out;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        uint64_t index = 0, term = 0;
        if (!(fields >> index >> term))
            return corruption(path + ":" + std::to_string(number) + ": expected 'INDEX TERM', got '" + line + "'");
        out.m_entries.insert({index, term});
    }
    return out;
}

Status SkippedEntries::add(const std::string &path, uint64_t index, uint64_t term)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return ioError("cannot open " + path + ": " + std::strerror(errno));
    const std::string line = std::to_string(index) + " " + std::to_string(term) + "\n";
    const bool ok = ::write(fd, line.data(), line.size()) == ssize_t(line.size()) && ::fsync(fd) == 0;
    const int err = errno;
    ::close(fd);
    return ok ? Status::ok() : ioError("cannot write " + path + ": " + std::strerror(err));
}

} // namespace skiff::cluster
