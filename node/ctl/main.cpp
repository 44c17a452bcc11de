// skiffctl: the operator's command line. Talks admin.proto to a node's admin socket
// (admin.listen); links only the admin protocol library and Qt, never the node.
#include "core/BuildInfo.h"
#include "ctl/Commands.h"
#include "ctl/CtlCommon.h"

#include <QCoreApplication>

#include <cstdio>

using namespace skiff::ctl;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);   // sockets want an application object, even blocking ones
    auto parsed = parseOptions(argc, argv);
    if (!parsed.isOk()) {
        return usage(parsed.status().message());
    }
    const CtlOptions &o = parsed.value();
    if (o.version) {
        const auto &b = skiff::core::buildInfo();
        std::printf("skiffctl %s (git %s, built %s)\n", b.version, b.gitHash, b.buildTime);
        return kExitOk;
    }
    if (o.help) {
        std::fputs(usageText(), stdout);
        return kExitOk;
    }
    if (o.command.empty()) {
        std::fputs(usageText(), stderr);
        return kExitUsage;
    }
    if (o.tls) {
        // Read once before any node is asked: a file that cannot serve is the user's to fix.
        if (auto files = skiff::admin::loadAdminClientTls(clientSettings(o).tls); !files.isOk())
            return usage(files.status().message());
    }
    if (o.command == "status") return runStatus(o);
    if (o.command == "brokers") return runBrokers(o);
    if (o.command == "topics") return runTopics(o);
    if (o.command == "raft") return runRaft(o);
    if (o.command == "locks") return runLocks(o);
    if (o.command == "watch") return runWatch(o);
    if (o.command == "events") return runEvents(o);
    if (o.command == "partitions") return runPartitions(o);
    if (o.command == "top") return runTop(o);
    if (o.command == "groups") return runGroups(o);
    if (o.command == "users") return runUsers(o);
    if (o.command == "acls") return runAcls(o);
    return runMutation(o);
}
