#include "core/DataDirIdentity.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace skiff::core {

namespace {

constexpr char kFileName[] = "meta.properties";
constexpr char kVersion[] = "1";

std::string describe(const DataDirIdentity &id)
{
    return "node " + std::to_string(id.nodeId) + " of cluster '" + id.clusterId + "'";
}

// key=value lines; '#' starts a comment.
std::map<std::string, std::string> parseProperties(std::istream &in)
{
    std::map<std::string, std::string> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        const auto eq = line.find('=');
        if (eq != std::string::npos)
            out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return out;
}

Status syncPath(const std::string &path, int flags)
{
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0)
        return ioError("cannot open " + path + ": " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int err = errno;
    ::close(fd);
    return rc == 0 ? Status::ok() : ioError("cannot sync " + path + ": " + std::strerror(err));
}

Status stamp(const std::string &dir, const DataDirIdentity &id)
{
    const std::string path = dir + "/" + kFileName;
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        out << "# Written by skiffd at this directory's first start; a node with another node.id or\n"
               "# cluster.id refuses to start here. Do not copy it to another node's data.dir.\n"
            << "version=" << kVersion << "\nnode.id=" << id.nodeId << "\ncluster.id=" << id.clusterId << "\n";
        if (!out.flush())
            return ioError("cannot write " + tmp);
    }
    SKIFF_RETURN_IF_ERROR(syncPath(tmp, O_RDONLY));
    if (::rename(tmp.c_str(), path.c_str()) != 0)
        return ioError("cannot rename " + tmp + " to " + path + ": " + std::strerror(errno));
    return syncPath(dir, O_RDONLY | O_DIRECTORY);
}

} // namespace

Status claimDataDir(const std::string &dir, const DataDirIdentity &expected)
{
    const std::string path = dir + "/" + kFileName;
    std::ifstream in(path);
    if (!in)
        return stamp(dir, expected);
    const auto props = parseProperties(in);
    DataDirIdentity found;
    const auto node = props.find("node.id");
    const auto cluster = props.find("cluster.id");
    if (node == props.end() || cluster == props.end()
        || std::from_chars(node->second.data(), node->second.data() + node->second.size(), found.nodeId).ec != std::errc())
        return corruption(path + " does not name a node.id and a cluster.id; restore it, or move it away if this "
                                 "directory really is " + describe(expected) + "'s");
    found.clusterId = cluster->second;
    if (found.nodeId != expected.nodeId || found.clusterId != expected.clusterId)
        return failedPrecondition("data.dir " + dir + " belongs to " + describe(found) + " (" + path +
                                  "), but this is " + describe(expected) +
                                  ": point data.dir at this node's own directory");
    return Status::ok();
}

} // namespace skiff::core
