#include "app/MetadataLogTool.h"

#include "cluster/SkippedEntries.h"
#include "cluster/storage/DurableStorage.h"
#include "metadata.pb.h"

#include <charconv>
#include <cstdio>
#include <filesystem>
#include <limits>

namespace skiff::app {

namespace {

constexpr char kShowFlag[] = "--metadata-show-entry";
constexpr char kSkipFlag[] = "--metadata-skip-entry";

bool parseU64(const std::string &text, uint64_t &out)
{
    return !text.empty() && std::from_chars(text.data(), text.data() + text.size(), out).ec == std::errc()
           && std::to_string(out) == text;
}

std::string hexPrefix(const std::string &data)
{
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (size_t i = 0; i < data.size() && i < 64; ++i) {
        out += digits[static_cast<unsigned char>(data[i]) >> 4];
        out += digits[static_cast<unsigned char>(data[i]) & 15];
    }
    return data.size() > 64 ? out + "..." : out;
}

std::string describe(const raft::Entry &e)
{
    std::string out = "entry " + std::to_string(e.index()) + " (term " + std::to_string(e.term()) + "): ";
    switch (e.type()) {
    case raft::ENTRY_NORMAL: {
        metadata::Command command;
        if (command.ParseFromString(e.data()) && command.command_case() != metadata::Command::COMMAND_NOT_SET)
            return out + "NORMAL, metadata command " + command.ShortDebugString();
        return out + "NORMAL, but its " + std::to_string(e.data().size()) +
               " bytes are no metadata command this build knows: " + hexPrefix(e.data());
    }
    case raft::ENTRY_CONF_CHANGE: {
        raft::ConfChange change;
        if (change.ParseFromString(e.data()))
            return out + "CONF_CHANGE " + change.ShortDebugString();
        return out + "CONF_CHANGE, but its data is no ConfChange: " + hexPrefix(e.data());
    }
    case raft::ENTRY_NOOP:
        return out + "NOOP with " + std::to_string(e.data().size()) + " bytes of data" +
               (e.data().empty() ? "" : ": " + hexPrefix(e.data()));
    default:
        return out + "unknown type " + std::to_string(int(e.type())) + ", " + std::to_string(e.data().size()) +
               " bytes: " + hexPrefix(e.data());
    }
}

} // namespace

std::string takeMetadataLogCommand(std::vector<std::string> &args, MetadataLogCommand &command)
{
    for (size_t i = 0; i < args.size(); ++i) {
        const bool show = args[i] == kShowFlag, skip = args[i] == kSkipFlag;
        if (!show && !skip)
            continue;
        if (command.kind != MetadataLogCommand::Kind::None)
            return "give one of " + std::string(kShowFlag) + " and " + kSkipFlag + ", once";
        if (i + 1 >= args.size())
            return args[i] + " needs a value";
        const std::string value = args[i + 1];
        if (show) {
            command.kind = MetadataLogCommand::Kind::Show;
            if (!parseU64(value, command.index) || command.index == 0)
                return std::string(kShowFlag) + ": expected an entry index (1 or more), got '" + value + "'";
        } else {
            command.kind = MetadataLogCommand::Kind::Skip;
            const auto colon = value.find(':');
            if (colon == std::string::npos || !parseU64(value.substr(0, colon), command.index) || command.index == 0
                || !parseU64(value.substr(colon + 1), command.term))
                return std::string(kSkipFlag) + ": expected INDEX:TERM as the halt message gives it, got '" + value + "'";
        }
        args.erase(args.begin() + long(i), args.begin() + long(i) + 2);
        --i;
    }
    return {};
}

int runMetadataLogCommand(const MetadataLogCommand &command, const core::NodeConfig &config)
{
    const std::string dir = config.dataDir + "/metadata/raft";
    if (!std::filesystem::exists(dir)) {
        std::fprintf(stderr, "skiffd: %s holds no metadata log (data.dir %s)\n", dir.c_str(), config.dataDir.c_str());
        return 1;
    }
    auto storage = cluster::DurableStorage::open(dir, raft::ConfState());
    if (!storage.isOk()) {
        std::fprintf(stderr, "skiffd: %s (is the node still running? stop it first)\n",
                     storage.status().toString().c_str());
        return 1;
    }
    const auto first = storage.value()->firstIndex().value(), last = storage.value()->lastIndex().value();
    auto entries = storage.value()->entries(command.index, command.index + 1, std::numeric_limits<uint64_t>::max());
    if (!entries.isOk() || entries->empty()) {
        std::fprintf(stderr, "skiffd: the metadata log holds entries %llu..%llu; entry %llu is not among them%s\n",
                     static_cast<unsigned long long>(first), static_cast<unsigned long long>(last),
                     static_cast<unsigned long long>(command.index),
                     command.index < first ? " (it was compacted into a snapshot: it was applied)" : "");
        return 1;
    }
    const raft::Entry &entry = entries->front();
    if (command.kind == MetadataLogCommand::Kind::Show) {
        std::printf("%s\n", describe(entry).c_str());
        return 0;
    }
    if (entry.term() != command.term) {
        std::fprintf(stderr, "skiffd: entry %llu has term %llu, not %llu: nothing skipped (%s)\n",
                     static_cast<unsigned long long>(entry.index()), static_cast<unsigned long long>(entry.term()),
                     static_cast<unsigned long long>(command.term), describe(entry).c_str());
        return 1;
    }
    const std::string path = cluster::SkippedEntries::pathIn(config.dataDir);
    if (Status s = cluster::SkippedEntries::add(path, entry.index(), entry.term()); !s.isOk()) {
        std::fprintf(stderr, "skiffd: %s\n", s.toString().c_str());
        return 1;
    }
    std::printf("%s\nwill be skipped without effect at every start of this node (recorded in %s). Do the same on "
                "every node that stopped at it.\n",
                describe(entry).c_str(), path.c_str());
    return 0;
}

} // namespace skiff::app
