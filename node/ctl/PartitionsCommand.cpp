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
    admin::Request brokersRequest;
    brokersRequest.mutable_list_brokers();
    admin::Response brokers;
    int code = kExitOk;
    if (!callAny(options, brokersRequest, brokers, code))
        return code;
    admin::Request request;
    for (const auto &name : options.args)
        request.mutable_describe_partitions()->add_topics(name);
    request.mutable_describe_partitions()->set_linearizable(options.linearizable);

    std::vector<admin::PartitionList> answers;
    std::set<uint64_t> answered;
    std::vector<std::string> missing;   // "node 2 at host:port: why"
    for (const auto &b : brokers.brokers().brokers()) {
        const std::string who = "node " + std::to_string(b.id()) + " at " + b.admin_address();
        if (b.admin_address().empty()) {
            missing.push_back("node " + std::to_string(b.id()) + ": no admin address registered");
            continue;
        }
        admin::AdminClient client(options.token);
        if (Status s = client.connectTo(b.admin_address(), kConnectTimeoutMs); !s.isOk()) {
            missing.push_back(who + ": " + s.message());
            continue;
        }
        auto r = client.call(request, options.timeoutMs);
        if (!r.isOk()) {
            missing.push_back(who + ": " + r.status().message());
            continue;
        }
        if (r->error_code() != admin::ERROR_CODE_NONE) {
            // An unknown topic is unknown everywhere: say so as the node did.
            if (r->error_code() == admin::ERROR_CODE_NOT_FOUND) {
                printError(who + " refused: " + r->error_message() + " (" + errorCodeText(r->error_code()) + ")");
                return kExitRefused;
            }
            missing.push_back(who + ": " + r->error_message());
            continue;
        }
        answers.push_back(r->partitions());
        answered.insert(b.id());
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
    // EPOCH is the leader epoch, P-EPOCH the partition epoch. HW and LOG END are the leader's;
    // the per-replica columns are each follower's log end, lag (messages behind the leader's log
    // end) and time since it was last caught up, as the leader reported them.
    TextTable table({"TOPIC", "PARTITION", "LEADER", "EPOCH", "P-EPOCH", "REPLICAS", "ISR", "HW", "LOG END",
                     "REPLICA END", "REPLICA LAG", "CAUGHT UP AGO", "FLAGS"});
    for (const auto &p : merged.partitions()) {
        const bool known = p.has_replication();
        table.add({p.topic(), std::to_string(p.partition()), p.leader() ? std::to_string(p.leader()) : "none",
                   std::to_string(p.leader_epoch()), std::to_string(p.partition_epoch()), idList(p.replicas()),
                   idList(p.isr()), known ? std::to_string(p.replication().high_watermark()) : "-",
                   known ? std::to_string(p.replication().log_end()) : "-",
                   perFollower(p, [](const admin::ReplicaProgress &f) { return std::to_string(f.log_end()); }),
                   replicaLagText(p),
                   perFollower(p, [](const admin::ReplicaProgress &f) { return age(f.caught_up_age_ms()); }),
                   flags(p, answered)});
    }
    std::fputs(table.render().c_str(), stdout);
    return kExitOk;
}

} // namespace skiff::ctl
