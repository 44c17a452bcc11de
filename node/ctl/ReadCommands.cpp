// skiffctl brokers, topics, raft, locks: one request to the first node that answers.
#include "admin/AdminProtocol.h"
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"
#include "ctl/TextTable.h"

#include <cstdio>

namespace skiff::ctl {
namespace {

std::string micros(int64_t us)
{
    if (us < 1000)
        return std::to_string(us) + "us";
    if (us < 10000000)
        return std::to_string(us / 1000) + "." + std::to_string((us / 100) % 10) + "ms";
    return std::to_string(us / 1000000) + "s";
}

void print(const std::string &text) { std::fputs(text.c_str(), stdout); }

} // namespace

int runBrokers(const CtlOptions &options)
{
    admin::Request request;
    request.mutable_list_brokers()->set_linearizable(options.linearizable);
    admin::Response response;
    int code = kExitOk;
    if (!callAny(options, request, response, code))
        return code;
    const auto &list = response.brokers();
    if (options.json) {
        printJson(list);
        return kExitOk;
    }
    TextTable table({"ID", "KAFKA", "RACK", "FENCED", "HEARTBEAT", "ADMIN", "RAFT", "INCARNATION"});
    for (const auto &b : list.brokers())
        table.add({std::to_string(b.id()), b.host() + ":" + std::to_string(b.port()), b.rack().empty() ? "-" : b.rack(),
                   b.fenced() ? "yes" : "no",
                   b.heartbeat_known() ? std::to_string(b.last_heartbeat_age_ms()) + " ms ago" : "-", b.admin_address(),
                   b.raft_address(), b.incarnation_id()});
    print(table.render());
    std::printf("controller: %s%s\n", list.controller_id() ? std::to_string(list.controller_id()).c_str() : "none",
                list.brokers().empty() ? "" : " (heartbeat ages are known to the controller only)");
    return kExitOk;
}

int runTopics(const CtlOptions &options)
{
    admin::Request request;
    if (options.args.empty())
        request.mutable_list_topics()->set_linearizable(options.linearizable);
    else
        for (const auto &name : options.args)
            request.mutable_describe_partitions()->add_topics(name);
    if (!options.args.empty())
        request.mutable_describe_partitions()->set_linearizable(options.linearizable);
    admin::Response response;
    int code = kExitOk;
    if (!callAny(options, request, response, code))
        return code;
    if (options.args.empty()) {
        if (options.json) {
            printJson(response.topics());
            return kExitOk;
        }
        TextTable table({"NAME", "PARTITIONS", "RF", "OFFLINE", "UNDER-REPLICATED", "ID", "CONFIGS"});
        for (const auto &t : response.topics().topics()) {
            std::string configs;
            for (const auto &[k, v] : t.configs())
                configs += (configs.empty() ? "" : ",") + k + "=" + v;
            table.add({t.name(), std::to_string(t.partitions()), std::to_string(t.replication_factor()),
                       std::to_string(t.offline_partitions()), std::to_string(t.under_replicated_partitions()), t.id(),
                       configs.empty() ? "-" : configs});
        }
        print(table.render());
        return kExitOk;
    }
    if (options.json) {
        printJson(response.partitions());
        return kExitOk;
    }
    // LEADER is the broker serving it (none when offline); the state says why, as the node decided.
    // EPOCH is the leader epoch, P-EPOCH the partition epoch; ISR is marked when under-replicated.
    // HW and REPLICA LAG (each follower's messages behind the leader's log end) are known to the
    // leader only: "-" where the answering node does not lead (skiffctl partitions asks them all).
    TextTable table({"TOPIC", "PARTITION", "LEADER", "STATE", "EPOCH", "P-EPOCH", "REPLICAS", "ISR", "OFFLINE", "HW",
                     "REPLICA LAG"});
    for (const auto &p : response.partitions().partitions())
        table.add({p.topic(), std::to_string(p.partition()), p.leader() ? std::to_string(p.leader()) : "none",
                   admin::partitionStateText(p.state()), std::to_string(p.leader_epoch()),
                   std::to_string(p.partition_epoch()), idList(p.replicas()),
                   idList(p.isr()) + (p.under_replicated() ? " (under-replicated)" : ""),
                   p.offline_replicas().empty() ? "-" : idList(p.offline_replicas()),
                   p.has_replication() ? std::to_string(p.replication().high_watermark()) : "-", replicaLagText(p)});
    print(table.render());
    return kExitOk;
}

int runRaft(const CtlOptions &options)
{
    std::string error;
    auto client = connectAny(options, error);
    if (!client) {
        printError(error);
        return kExitUnreachable;
    }
    admin::Request request;
    request.mutable_describe_raft();
    admin::Response response;
    int code = kExitOk;
    if (!call(*client, options, request, response, code))
        return code;
    // Only the leader tracks its peers' progress: ask it, found through the broker registry.
    if (response.raft().role() != "leader" && !response.raft().leader_admin_address().empty()) {
        // Quietly: if the leader does not answer, this node's own view is printed.
        admin::AdminClient leader(clientSettings(options));
        if (leader.connectTo(response.raft().leader_admin_address(), kConnectTimeoutMs).isOk())
            if (auto r = leader.call(request, options.timeoutMs); r.isOk() && r->error_code() == admin::ERROR_CODE_NONE)
                response = std::move(r.value());
    }
    const auto &d = response.raft();
    if (options.json) {
        printJson(d);
        return kExitOk;
    }
    std::printf("node %llu: %s, term %llu, leader %s, commit %llu, applied %llu, last index %llu\n",
                static_cast<unsigned long long>(d.node_id()), d.role().c_str(), static_cast<unsigned long long>(d.term()),
                d.leader_id() ? std::to_string(d.leader_id()).c_str() : "none",
                static_cast<unsigned long long>(d.commit()), static_cast<unsigned long long>(d.applied()),
                static_cast<unsigned long long>(d.last_index()));
    std::printf("voters %s, learners %s%s\n", idList(d.voters()).c_str(), idList(d.learners()).c_str(),
                d.lead_transferee() ? (", transferring to " + std::to_string(d.lead_transferee())).c_str() : "");
    if (d.peers().empty()) {
        std::printf("peer progress is known to the leader only, and its admin socket did not answer\n");
        return kExitOk;
    }
    TextTable table({"ID", "MEMBER", "MATCH", "NEXT", "STATE", "INFLIGHT", "CONTACT", "LINK", "ADDRESS"});
    for (const auto &p : d.peers())
        table.add({std::to_string(p.id()), p.learner() ? "learner" : "voter", std::to_string(p.match()),
                   std::to_string(p.next()), p.state(), std::to_string(p.inflight()),
                   p.link_state() == "self" ? "-" : std::to_string(p.ticks_since_contact()) + " ticks ago",
                   p.link_state() + (p.link_error().empty() ? "" : " (" + p.link_error() + ")"), p.address()});
    print(table.render());
    return kExitOk;
}

int runLocks(const CtlOptions &options)
{
    admin::Request request;
    request.mutable_get_lock_stats();
    admin::Response response;
    int code = kExitOk;
    if (!callAny(options, request, response, code))
        return code;
    if (options.json) {
        printJson(response.locks());
        return kExitOk;
    }
    if (response.locks().locks().empty()) {
        std::printf("no tracked locks registered in this process\n");
        return kExitOk;
    }
    TextTable table({"LOCK", "ACQUIRED", "CONTENDED", "WAIT p50", "WAIT p99", "WAIT max", "HOLD p50", "HOLD p99",
                     "HOLD max", "HELD BY"});
    for (const auto &l : response.locks().locks()) {
        std::string holders;
        for (const auto &h : l.holders())
            holders += (holders.empty() ? "" : "; ") + h.thread() + " at " + h.site() + " for " + micros(h.held_for_micros());
        table.add({l.name(), std::to_string(l.acquisitions()), std::to_string(l.contended()), micros(l.wait_micros().p50()),
                   micros(l.wait_micros().p99()), micros(l.wait_micros().max()), micros(l.hold_micros().p50()),
                   micros(l.hold_micros().p99()), micros(l.hold_micros().max()), holders.empty() ? "-" : holders});
    }
    print(table.render());
    return kExitOk;
}

} // namespace skiff::ctl
