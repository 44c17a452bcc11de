// skiffctl groups: the cluster's consumer groups with their members, committed offsets and lag.
// A group lives on its coordinator, which knows the high watermark only of partitions it hosts,
// so every broker is asked for its groups and its partitions and the answers are merged
// (admin/GroupViews.h: each group from its coordinator, each lag from the partition's leader
// where the coordinator did not know it).
#include "admin/GroupViews.h"
#include "admin/PartitionViews.h"
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"
#include "ctl/TextTable.h"

#include <cstdio>
#include <map>
#include <set>

namespace skiff::ctl {
namespace {

// Every broker's answers of one kind; the brokers that gave none go to `missing`.
template <class Take>
bool gather(const CtlOptions &options, const admin::Request &request, std::vector<std::string> &missing, int &code,
            Take take)
{
    std::vector<BrokerAnswer> replies;
    if (!askEveryBroker(options, request, replies, missing, code))
        return false;
    for (const BrokerAnswer &a : replies) {
        if (a.response.error_code() != admin::ERROR_CODE_NONE)
            missing.push_back(a.who + ": " + a.response.error_message() + " (" + errorCodeText(a.response.error_code()) + ")");
        else
            take(a.response);
    }
    return true;
}

std::string lagText(const admin::GroupOffset &o) { return o.lag_known() ? std::to_string(o.lag()) : "-"; }

// "orders:0,1 audit:2": the partitions a member was assigned, topic by topic.
std::string assignmentText(const admin::GroupMember &m)
{
    std::string out;
    for (const auto &a : m.assignment()) {
        std::string partitions;
        for (int32_t p : a.partitions())
            partitions += (partitions.empty() ? "" : ",") + std::to_string(p);
        out += (out.empty() ? "" : " ") + a.topic() + ":" + partitions;
    }
    return out.empty() ? "-" : out;
}

// The member a partition is assigned to, by (topic, partition).
std::map<std::pair<std::string, int32_t>, const admin::GroupMember *> ownerOf(const admin::Group &g)
{
    std::map<std::pair<std::string, int32_t>, const admin::GroupMember *> owners;
    for (const auto &m : g.members())
        for (const auto &a : m.assignment())
            for (int32_t p : a.partitions())
                owners[{a.topic(), p}] = &m;
    return owners;
}

// Per partition: committed offset, the high watermark it was measured against and the lag, and
// the member that consumes it now (Kafka's kafka-consumer-groups --describe); then each member.
void printOffsets(const admin::GroupList &groups)
{
    TextTable offsets({"GROUP", "TOPIC", "PARTITION", "COMMITTED", "HW", "LAG", "MEMBER", "CLIENT ID", "HOST"});
    TextTable members({"GROUP", "MEMBER", "INSTANCE", "CLIENT ID", "HOST", "ASSIGNMENT"});
    for (const auto &g : groups.groups()) {
        auto owners = ownerOf(g);
        std::set<std::pair<std::string, int32_t>> listed;
        auto row = [&](const std::string &topic, int32_t partition, const admin::GroupOffset *o) {
            const auto owner = owners.find({topic, partition});
            const admin::GroupMember *m = owner == owners.end() ? nullptr : owner->second;
            offsets.add({g.group_id(), topic, std::to_string(partition), o ? std::to_string(o->committed()) : "-",
                         o && o->lag_known() ? std::to_string(o->high_watermark()) : "-", o ? lagText(*o) : "-",
                         m ? m->member_id() : "-", m ? m->client_id() : "-", m ? m->client_host() : "-"});
        };
        for (const auto &o : g.offsets()) {
            row(o.topic(), o.partition(), &o);
            listed.insert({o.topic(), o.partition()});
        }
        for (const auto &[tp, member] : owners)   // assigned, nothing committed yet
            if (!listed.count(tp))
                row(tp.first, tp.second, nullptr);
        for (const auto &m : g.members())
            members.add({g.group_id(), m.member_id(), m.group_instance_id().empty() ? "-" : m.group_instance_id(),
                         m.client_id(), m.client_host(), assignmentText(m)});
    }
    std::fputs(offsets.render().c_str(), stdout);
    std::fputs("\n", stdout);
    std::fputs(members.render().c_str(), stdout);
}

} // namespace

int runGroups(const CtlOptions &options)
{
    admin::Request groupsRequest;
    groupsRequest.mutable_describe_groups();   // no names: every group
    for (const auto &name : options.args)
        groupsRequest.mutable_describe_groups()->add_groups(name);
    admin::Request partitionsRequest;
    partitionsRequest.mutable_describe_partitions();

    int code = kExitOk;
    std::vector<std::string> missingGroups, missingPartitions;
    std::vector<admin::GroupList> groupAnswers;
    std::vector<admin::PartitionList> partitionAnswers;
    if (!gather(options, groupsRequest, missingGroups, code,
                [&](const admin::Response &r) { groupAnswers.push_back(r.groups()); }))
        return code;
    if (!gather(options, partitionsRequest, missingPartitions, code,
                [&](const admin::Response &r) { partitionAnswers.push_back(r.partitions()); }))
        return code;
    for (const std::string &m : missingGroups)
        printError("no groups from " + m + " (the groups it coordinates are not shown)");
    for (const std::string &m : missingPartitions)
        printError("no partitions from " + m + " (lags of the partitions it leads may be unknown)");
    if (groupAnswers.empty()) {
        printError("no broker's admin socket answered DescribeGroups");
        return kExitUnreachable;
    }
    const admin::GroupList merged = admin::mergeGroupViews(groupAnswers, admin::mergePartitionViews(partitionAnswers));
    int exit = kExitOk;
    for (const std::string &name : std::set<std::string>(options.args.begin(), options.args.end())) {
        bool found = false;
        for (const auto &g : merged.groups())
            found = found || g.group_id() == name;
        if (!found) {
            printError("group '" + name + "' is coordinated by no broker that answered" +
                       (missingGroups.empty() ? " (no such group)" : ""));
            exit = kExitRefused;
        }
    }
    if (options.json) {
        printJson(merged);
        return exit;
    }
    // TOTAL LAG sums the partitions whose lag is known; "+" marks a group with some unknown.
    TextTable table({"GROUP", "STATE", "PROTOCOL", "GENERATION", "MEMBERS", "COORDINATOR", "TOTAL LAG"});
    for (const auto &g : merged.groups()) {
        bool allKnown = true;
        for (const auto &o : g.offsets())
            allKnown = allKnown && o.lag_known();
        const std::string protocol = g.protocol_type().empty() ? "-" : g.protocol_type() + "/" + (g.protocol().empty() ? "-" : g.protocol());
        table.add({g.group_id(), g.state(), protocol, std::to_string(g.generation()), std::to_string(g.members_size()),
                   std::to_string(g.coordinator()), std::to_string(g.total_lag()) + (allKnown ? "" : "+")});
    }
    std::fputs(table.render().c_str(), stdout);
    if (options.offsets || !options.args.empty()) {
        std::fputs("\n", stdout);
        printOffsets(merged);
    }
    return exit;
}

} // namespace skiff::ctl
