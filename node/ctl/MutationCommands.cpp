// skiffctl transfer-leader, add-node, remove-node, create-topic, delete-topic, elect-leaders: one request to the
// first node that answers; the node forwards to the leader what must go there.
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"

#include <QString>

namespace skiff::ctl {
namespace {

bool nodeId(const std::string &text, uint64_t &out)
{
    bool ok = false;
    out = QString::fromStdString(text).toULongLong(&ok);
    return ok && out > 0;
}

} // namespace

int runMutation(const CtlOptions &options)
{
    const std::string &cmd = options.command;
    const auto &args = options.args;
    admin::Request request;
    uint64_t id = 0;
    if (cmd == "transfer-leader") {
        if (options.to == 0 || !args.empty())
            return usage("transfer-leader needs --to NODE_ID");
        request.mutable_transfer_leader()->set_to(options.to);
    } else if (cmd == "add-node") {
        if (args.size() != 2 || !nodeId(args[0], id))
            return usage("add-node needs a node id and its raft address: add-node 4 10.0.0.4:9093");
        request.mutable_add_node()->set_id(id);
        request.mutable_add_node()->set_raft_address(args[1]);
    } else if (cmd == "remove-node") {
        if (args.size() != 1 || !nodeId(args[0], id))
            return usage("remove-node needs one node id");
        request.mutable_remove_node()->set_id(id);
    } else if (cmd == "create-topic") {
        if (args.size() != 1)
            return usage("create-topic needs one topic name");
        auto *create = request.mutable_create_topic();
        create->set_name(args[0]);
        create->set_partitions(options.partitions);
        create->set_replication_factor(options.replicationFactor);
        create->mutable_configs()->insert(options.configs.begin(), options.configs.end());
    } else if (cmd == "delete-topic") {
        if (args.size() != 1)
            return usage("delete-topic needs one topic name");
        request.mutable_delete_topic()->set_name(args[0]);
    } else if (cmd == "elect-leaders") {
        auto *elect = request.mutable_elect_leaders();
        elect->set_unclean(options.unclean);
        for (const std::string &arg : args) {
            auto *target = elect->add_partitions();
            const size_t colon = arg.rfind(':');
            target->set_topic(colon == std::string::npos ? arg : arg.substr(0, colon));
            target->set_partition(-1);
            if (colon != std::string::npos) {
                bool ok = false;
                const int partition = QString::fromStdString(arg.substr(colon + 1)).toInt(&ok);
                if (!ok || partition < 0 || colon == 0)
                    return usage("elect-leaders takes TOPIC or TOPIC:PARTITION, got '" + arg + "'");
                target->set_partition(partition);
            }
        }
    } else {
        return usage("unknown command '" + cmd + "'");
    }
    return sendMutation(options, std::move(request));
}

} // namespace skiff::ctl
