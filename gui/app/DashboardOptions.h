#pragma once
// Command line of skiff-dashboard.

#include "common/Status.h"
#include "net/AdminTls.h"

#include <QSize>
#include <QString>
#include <QStringList>

namespace skiff::gui {

struct DashboardOptions {
    QStringList connect;          // --connect host:port[,host:port...]
    QString profile;              // --profile NAME (saved with the connect dialog)
    QString token;                // --token T, else $SKIFF_ADMIN_TOKEN, else the profile's
    // --ca, --cert, --key (else $SKIFF_ADMIN_CA, $SKIFF_ADMIN_CERT, $SKIFF_ADMIN_KEY), as skiffctl's;
    // any of them turns TLS on over the profile's. The key's passphrase: $SKIFF_ADMIN_KEY_PASSWORD
    // (never argv, which every user of the machine can read).
    AdminTls tls;
    int rateHz = 0;               // 0: the profile's
    int watchdogMissMs = 0;       // 0: the profile's
    bool discover = true;
    bool dark = false;
    QString tab = QStringLiteral("charts");
    QSize size{1280, 800};
    QString screenshot;           // render after the first full update, write a PNG, exit
    int screenshotTimeoutMs = 15000;
    int screenshotDelayMs = 0;    // extra wait after the full update (to let charts fill)
    QString exportJson;           // with or without --screenshot: write the chart data, exit
    QString exportCsv;
    int diskAlertFreePercent = 0;    // --disk-alert-free-percent; 0: ClusterModel's default
    int quitAfterMs = 0;          // --quit-after-ms: run this long, then exit 0 (benchmarks, soak runs)

    bool batch() const { return !screenshot.isEmpty() || !exportJson.isEmpty() || !exportCsv.isEmpty(); }

    // Usage errors as InvalidArgument with one line naming the option.
    static Result<DashboardOptions> parse(const QStringList &arguments);
};

} // namespace skiff::gui
