// skiff-dashboard: a desktop view of a Skiff cluster through its nodes' admin sockets.
#include "admin/ProtobufLogging.h"
#include "app/DashboardApp.h"

#include <QApplication>
#include <QIcon>

#include <cstdio>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    skiff::admin::installProtobufLogHandler();
    QApplication::setOrganizationName(QStringLiteral("Skiff"));
    QApplication::setApplicationName(QStringLiteral("skiff-dashboard"));
    QApplication::setApplicationDisplayName(QStringLiteral("Skiff Dashboard"));
    QApplication::setApplicationVersion(QStringLiteral(SKIFF_DASHBOARD_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("org.skiff.Dashboard"));   // the window icon on Wayland
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/org.skiff.Dashboard.svg")));

    auto options = skiff::gui::DashboardOptions::parse(QApplication::arguments());
    if (!options.isOk()) {
        std::fprintf(stderr, "skiff-dashboard: %s\n", options.status().message().c_str());
        return 2;
    }
    skiff::gui::DashboardApp dashboard(std::move(options).value());
    const int early = dashboard.start();
    if (early >= 0)
        return early;
    return QApplication::exec();
}
