// skiffd: one Skiff node.
#include "app/Node.h"
#include "admin/ProtobufLogging.h"
#include "app/FileLimit.h"
#include "app/SignalWatcher.h"
#include "core/BuildInfo.h"
#include "core/ConfigLoader.h"
#include "core/Logging.h"
#include "sync/Witness.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    auto outcome = skiff::core::ConfigLoader::load(args);
    if (outcome.action == skiff::core::ConfigLoader::Action::PrintHelp) {
        std::fputs(skiff::core::ConfigLoader::helpText().c_str(), stdout);
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
    QObject::connect(&node, &skiff::app::Node::finished, &app, [](int code) { QCoreApplication::exit(code); });
    node.start();
    return app.exec();
}
