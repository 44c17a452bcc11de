// skiffctl partitions: the cluster's partitions with every replica's progress. Only a partition's
// leader knows where its followers are, so every broker's admin socket (from the registry) is
// asked and the answers merged (admin/PartitionViews.h).
#include "admin/AdminProtocol.h"
#include "admin/PartitionViews.h"
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"
#include "ctl/TextTable.h"

#include <cstdio>
#include <set>

namespace skiff::ctl {
namespace {

std::string age(int64_t ms)
{
    if (ms < 0)
        return "never";
    if (ms < 10000)
        return std::to_string(ms / 1000) + "." + std::to_string((ms / 100) % 10) + "s";
    return std::to_string(ms / 1000) + "s";
}

// "2:120,3:105" and the like: one entry per follower, as the leader reported it.
template <typename Value>
std::string perFollower(const admin::Partition &p, Value value)
{
    if (!p.has_replication())
        return "-";
    std::string out;
    for (const auto &f : p.replication().followers())
        out += (out.empty() ? "" : ",") + std::to_string(f.broker()) + ":" + value(f);
    return out.empty() ? "-" : out;
}

std::string flags(const admin::Partition &p, const std::set<uint64_t> &answered)
{
    std::string out;
    auto add = [&](const std::string &flag) { out += (out.empty() ? "" : ",") + flag; };
    if (p.state() != admin::PARTITION_STATE_OK)
        add(admin::partitionStateText(p.state()));
    if (p.under_replicated())
        add("under-replicated");
    if (p.leader() && !p.has_replication())
        add(answered.count(p.leader()) ? "leader-view-pending" : "leader-not-answering");
    return out.empty() ? "-" : out;
}

} // namespace

std::string replicaLagText(const admin::Partition &p)
{
    return perFollower(p, [](const admin::ReplicaProgress &f) { return std::to_string(f.lag()); });
}

int runPartitions(const CtlOptions &options)
{
    admin::Request request;
    for (const auto &name : options.args)
        request.mutable_describe_partitions()->add_topics(name);
    request.mutable_describe_partitions()->set_linearizable(options.linearizable);

    std::vector<BrokerAnswer> replies;
    std::vector<std::string> missing;   // "node 2 at host:port: why"
    int code = kExitOk;
    if (!askEveryBroker(options, request, replies, missing, code))
        return code;
    std::vector<admin::PartitionList> answers;
    std::set<uint64_t> answered;
    for (const BrokerAnswer &a : replies) {
        const admin::Response &r = a.response;
        if (r.error_code() != admin::ERROR_CODE_NONE) {
            // An unknown topic is unknown everywhere: say so as the node did.
            if (r.error_code() == admin::ERROR_CODE_NOT_FOUND) {
                printError(a.who + " refused: " + r.error_message() + " (" + errorCodeText(r.error_code()) + ")");
                return kExitRefused;
            }
            missing.push_back(a.who + ": " + r.error_message());
            continue;
        }
        answers.push_back(r.partitions());
        answered.insert(a.broker);
    }
    for (const std::string &m : missing)
        printError("no replica detail from " + m + " (the partitions it leads show none)");
    if (answers.empty()) {
        printError("no broker's admin socket answered DescribePartitions");
        return kExitUnreachable;
    }
    admin::PartitionList merged = admin::mergePartitionViews(answers);
    if (options.underReplicated) {
        admin::PartitionList kept;
        for (const auto &p : merged.partitions())
            if (p.under_replicated())
                *kept.add_partitions() = p;
        merged = std::move(kept);
    }
    if (options.json) {
        printJson(merged);
        return kExitOk;
    }
    // EPOCH is the leader epoch, P-EPOCH the partition epoch. LOG START, HW, LOG END, BYTES (its
    // segments' files) and SEGMENTS are the leader's; the per-replica columns are each follower's
    // log end, lag (messages behind the leader's log end) and time since it was last caught up, as
    // the leader reported them.
    TextTable table({"TOPIC", "PARTITION", "LEADER", "EPOCH", "P-EPOCH", "REPLICAS", "ISR", "LOG START", "HW",
                     "LOG END", "BYTES", "SEGMENTS", "REPLICA END", "REPLICA LAG", "CAUGHT UP AGO", "FLAGS"});
    for (const auto &p : merged.partitions()) {
        const bool known = p.has_replication();
        const bool sized = known && p.replication().log_size_reported();   // false: a leader too old to say
        table.add({p.topic(), std::to_string(p.partition()), p.leader() ? std::to_string(p.leader()) : "none",
                   std::to_string(p.leader_epoch()), std::to_string(p.partition_epoch()), idList(p.replicas()),
                   idList(p.isr()), sized ? std::to_string(p.replication().log_start()) : "-",
                   known ? std::to_string(p.replication().high_watermark()) : "-",
                   known ? std::to_string(p.replication().log_end()) : "-",
                   sized ? std::to_string(p.replication().size_bytes()) : "-",
                   sized ? std::to_string(p.replication().segments()) : "-",
                   perFollower(p, [](const admin::ReplicaProgress &f) { return std::to_string(f.log_end()); }),
                   replicaLagText(p),
                   perFollower(p, [](const admin::ReplicaProgress &f) { return age(f.caught_up_age_ms()); }),
                   flags(p, answered)});
    }
    std::fputs(table.render().c_str(), stdout);
    return kExitOk;
}

} // namespace skiff::ctl
