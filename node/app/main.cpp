// skiffd: one Skiff node.
#include "app/MetadataLogTool.h"
#include "app/Node.h"
#include "app/NodeLog.h"
#include "admin/ProtobufLogging.h"
#include "app/FileLimit.h"
#include "core/MemoryPolicy.h"
#include "app/SignalWatcher.h"
#include "core/BuildInfo.h"
#include "core/ConfigLoader.h"
#include "core/DataDirIdentity.h"
#include "core/Logging.h"
#include "sync/Witness.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    skiff::core::keepFreedMemoryForReuse();
    std::vector<std::string> args(argv + 1, argv + argc);
    skiff::app::MetadataLogCommand metadataLogCommand;
    if (const std::string usage = skiff::app::takeMetadataLogCommand(args, metadataLogCommand); !usage.empty()) {
        std::fprintf(stderr, "skiffd: %s\n", usage.c_str());
        return 2;
    }
    auto outcome = skiff::core::ConfigLoader::load(args);
    if (outcome.action == skiff::core::ConfigLoader::Action::PrintHelp) {
        std::fputs(skiff::core::ConfigLoader::helpText().c_str(), stdout);
        std::fputs("\nOffline commands on a stopped node's metadata log (README: a halted metadata loop):\n"
                   "  --metadata-show-entry INDEX       print that entry (type, term, decoded command)\n"
                   "  --metadata-skip-entry INDEX:TERM  pass that entry without effect at every later start\n",
                   stdout);
        return 0;
    }
    if (outcome.action == skiff::core::ConfigLoader::Action::PrintVersion) {
        const auto &b = skiff::core::buildInfo();
        std::printf("skiffd %s (git %s, built %s)\n", b.version, b.gitHash, b.buildTime);
        return 0;
    }
    if (!outcome.errors.empty()) {
        for (const auto &line : outcome.errors)
            std::fprintf(stderr, "skiffd: config error: %s\n", line.c_str());
        return 2;
    }
    // Before anything in the directory is opened: another node's vote and log must never be ours.
    if (auto s = skiff::core::claimDataDir(outcome.config.dataDir, {outcome.config.nodeId, outcome.config.clusterId});
        !s.isOk()) {
        std::fprintf(stderr, "skiffd: %s\n", s.message().c_str());
        return 2;
    }
    if (metadataLogCommand.kind != skiff::app::MetadataLogCommand::Kind::None)
        return skiff::app::runMetadataLogCommand(metadataLogCommand, outcome.config);

    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("skiffd"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(skiff::core::buildInfo().version));
    skiff::core::installLogging(outcome.config.loggingLevel, outcome.config.loggingRules);
    skiff::admin::installProtobufLogHandler();
    skiff::sync::setWitnessEnabled(outcome.config.lockWitness);

    // Before any thread opens a file: client connections and log files all take descriptors.
    const auto files = skiff::app::raiseFileLimit();
    if (!files.error.empty())
        qCWarning(lcNode, "open-file limit stays at %s (hard limit %s): %s", skiff::app::describeFileLimit(files.soft).c_str(),
                  skiff::app::describeFileLimit(files.hard).c_str(), files.error.c_str());
    else if (files.soft != files.softBefore)
        qCInfo(lcNode, "open-file limit raised from %s to the hard limit %s", skiff::app::describeFileLimit(files.softBefore).c_str(),
               skiff::app::describeFileLimit(files.hard).c_str());
    else
        qCInfo(lcNode, "open-file limit %s (soft = hard limit)", skiff::app::describeFileLimit(files.soft).c_str());

    skiff::app::SignalWatcher signalWatcher;
    skiff::app::Node node(outcome.config);
    QObject::connect(&signalWatcher, &skiff::app::SignalWatcher::terminationRequested, &node, [&](int signalNumber) {
        qCInfo(lcNode, "signal %d: shutting down", signalNumber);
        node.shutdown();
    });
    QObject::connect(&signalWatcher, &skiff::app::SignalWatcher::reloadRequested, &node, [&]() {
        qCInfo(lcNode, "SIGHUP: reading the TLS files again");
        node.reloadTls();
    });
    QObject::connect(&node, &skiff::app::Node::finished, &app, [](int code) { QCoreApplication::exit(code); });
    node.start();
    return app.exec();
}
