#include "app/DashboardOptions.h"

#include "models/ClusterModel.h"

#include <QCommandLineParser>
#include <QRegularExpression>

namespace skiff::gui {

Result<DashboardOptions> DashboardOptions::parse(const QStringList &arguments)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Live view and administration of a Skiff cluster through its admin sockets."));
    p.addHelpOption();
    p.addVersionOption();
    const QCommandLineOption connect(QStringLiteral("connect"), QStringLiteral("Admin sockets to connect to (others are discovered)."),
                                     QStringLiteral("host:port[,host:port...]"));
    const QCommandLineOption profile(QStringLiteral("profile"), QStringLiteral("Saved profile to connect with."), QStringLiteral("NAME"));
    const QCommandLineOption token(QStringLiteral("token"), QStringLiteral("admin.token for mutating actions (or $SKIFF_ADMIN_TOKEN)."),
                                   QStringLiteral("T"));
    const QCommandLineOption ca(QStringLiteral("ca"), QStringLiteral("TLS to the admin sockets: the CA of the nodes' certificates, PEM (or $SKIFF_ADMIN_CA)."),
                                QStringLiteral("FILE"));
    const QCommandLineOption cert(QStringLiteral("cert"),
                                  QStringLiteral("TLS client certificate, PEM, for admin.ssl.client.auth (or $SKIFF_ADMIN_CERT)."), QStringLiteral("FILE"));
    const QCommandLineOption key(QStringLiteral("key"),
                                 QStringLiteral("Its private key, PEM (or $SKIFF_ADMIN_KEY); passphrase: $SKIFF_ADMIN_KEY_PASSWORD."), QStringLiteral("FILE"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Snapshots per second per node, 1-20."), QStringLiteral("HZ"));
    const QCommandLineOption miss(QStringLiteral("watchdog-miss-ms"), QStringLiteral("The nodes' watchdog.miss.ms (threshold line)."),
                                  QStringLiteral("MS"));
    const QCommandLineOption noDiscover(QStringLiteral("no-discover"), QStringLiteral("Connect only to the given addresses."));
    const QCommandLineOption dark(QStringLiteral("dark"), QStringLiteral("Start with the dark palette."));
    const QCommandLineOption tab(QStringLiteral("tab"), QStringLiteral("Tab to show: charts, alerts, brokers, partitions, events, nodes, traffic, groups."),
                                 QStringLiteral("NAME"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Window size (default 1280x800)."), QStringLiteral("WxH"));
    const QCommandLineOption shot(QStringLiteral("screenshot"), QStringLiteral("Render after the first full update of every node to FILE (PNG) and exit."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption shotTimeout(QStringLiteral("screenshot-timeout-ms"),
                                         QStringLiteral("Give up (exit 1) when no full update came within MS (default 15000)."), QStringLiteral("MS"));
    const QCommandLineOption shotDelay(QStringLiteral("screenshot-delay-ms"), QStringLiteral("Wait MS more after the full update (charts fill)."),
                                       QStringLiteral("MS"));
    const QCommandLineOption json(QStringLiteral("export-json"), QStringLiteral("Write the chart data as JSON to FILE after the first full update and exit."),
                                  QStringLiteral("FILE"));
    const QCommandLineOption csv(QStringLiteral("export-csv"), QStringLiteral("Write the chart data as CSV to FILE after the first full update and exit."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption quitAfter(QStringLiteral("quit-after-ms"), QStringLiteral("Run for MS, then exit 0 (benchmarks and soak runs)."),
                                       QStringLiteral("MS"));
    const QCommandLineOption diskAlert(QStringLiteral("disk-alert-free-percent"),
                                       QStringLiteral("Alert when a node's disk has less than PERCENT free (default %1).")
                                           .arg(ClusterModel::kDefaultDiskAlertFreePercent),
                                       QStringLiteral("PERCENT"));
    p.addOptions({connect, profile, token, ca, cert, key, rate, miss, noDiscover, dark, tab, size, shot, shotTimeout, shotDelay, json, csv, quitAfter,
                  diskAlert});
    p.process(arguments);   // --help, --version and unknown options exit here, as Qt tools do

    DashboardOptions o;
    for (const QString &a : p.value(connect).split(QLatin1Char(','), Qt::SkipEmptyParts))
        o.connect << a.trimmed();
    o.profile = p.value(profile);
    o.token = p.isSet(token) ? p.value(token) : qEnvironmentVariable("SKIFF_ADMIN_TOKEN");
    auto optionOrEnv = [&](const QCommandLineOption &opt, const char *env) { return p.isSet(opt) ? p.value(opt) : qEnvironmentVariable(env); };
    o.tls.caFile = optionOrEnv(ca, "SKIFF_ADMIN_CA");
    o.tls.certFile = optionOrEnv(cert, "SKIFF_ADMIN_CERT");
    o.tls.keyFile = optionOrEnv(key, "SKIFF_ADMIN_KEY");
    o.tls.keyPassphrase = qEnvironmentVariable("SKIFF_ADMIN_KEY_PASSWORD");
    o.tls.enabled = !o.tls.caFile.isEmpty() || !o.tls.certFile.isEmpty() || !o.tls.keyFile.isEmpty();
    if (o.tls.certFile.isEmpty() != o.tls.keyFile.isEmpty())
        return invalidArgument("--cert and --key go together (a client certificate needs its key)");
    auto number = [&](const QCommandLineOption &opt, int lo, int hi, int &out) -> Status {
        if (!p.isSet(opt))
            return Status::ok();
        bool ok = false;
        const int v = p.value(opt).toInt(&ok);
        if (!ok || v < lo || v > hi)
            return invalidArgument(QStringLiteral("--%1 %2: expected a number from %3 to %4")
                                       .arg(opt.names().first(), p.value(opt)).arg(lo).arg(hi).toStdString());
        out = v;
        return Status::ok();
    };
    SKIFF_RETURN_IF_ERROR(number(rate, 1, 20, o.rateHz));
    SKIFF_RETURN_IF_ERROR(number(miss, 1, 600000, o.watchdogMissMs));
    SKIFF_RETURN_IF_ERROR(number(shotTimeout, 100, 3600000, o.screenshotTimeoutMs));
    SKIFF_RETURN_IF_ERROR(number(shotDelay, 0, 3600000, o.screenshotDelayMs));
    SKIFF_RETURN_IF_ERROR(number(diskAlert, 1, 99, o.diskAlertFreePercent));
    SKIFF_RETURN_IF_ERROR(number(quitAfter, 1, 7 * 24 * 3600 * 1000, o.quitAfterMs));
    o.discover = !p.isSet(noDiscover);
    o.dark = p.isSet(dark);
    if (p.isSet(tab))
        o.tab = p.value(tab);
    if (p.isSet(size)) {
        const auto m = QRegularExpression(QStringLiteral("^(\\d+)x(\\d+)$")).match(p.value(size));
        if (!m.hasMatch() || m.captured(1).toInt() < 320 || m.captured(2).toInt() < 240)
            return invalidArgument(QStringLiteral("--size %1: expected WIDTHxHEIGHT, at least 320x240").arg(p.value(size)).toStdString());
        o.size = QSize(m.captured(1).toInt(), m.captured(2).toInt());
    }
    o.screenshot = p.value(shot);
    o.exportJson = p.value(json);
    o.exportCsv = p.value(csv);
    if (o.batch() && o.connect.isEmpty() && o.profile.isEmpty())
        return invalidArgument("--screenshot and --export-* need --connect or --profile (no dialog is shown)");
    return o;
}

} // namespace skiff::gui
