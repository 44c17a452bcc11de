#include "app/DashboardApp.h"

#include "models/ChartDataExporter.h"
#include "views/ConnectDialog.h"
#include "views/MainWindow.h"

#include <QCoreApplication>
#include <QFile>
#include <QImage>

#include <cstdio>

namespace skiff::gui {
namespace {

bool writeFile(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size()) {
        std::fprintf(stderr, "skiff-dashboard: cannot write %s: %s\n", qPrintable(path), qPrintable(f.errorString()));
        return false;
    }
    return true;
}

} // namespace

DashboardApp::DashboardApp(DashboardOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_profiles(SecretStore::Backend::Keyring), m_client(ClusterClient::Options{}),
      m_batchTimeout(this)
{
    m_model.attach(&m_client);
    // Said once (the store signals it once), on the terminal and in the window.
    connect(&m_profiles.secrets(), &SecretStore::keyringUnavailable, this, [this](const QString &line) {
        std::fprintf(stderr, "skiff-dashboard: %s\n", qPrintable(line));
        m_window->showNotice(line);
    });
    m_window = std::make_unique<MainWindow>(&m_client, &m_model, &m_profiles);
    connect(m_window.get(), &MainWindow::connectRequested, this, &DashboardApp::connectProfile);
    m_batchTimeout.setSingleShot(true);
    connect(&m_batchTimeout, &QTimer::timeout, this, &DashboardApp::batchTimedOut);
}

DashboardApp::~DashboardApp()
{
    m_client.disconnectAll();
}

int DashboardApp::start()
{
    Profile profile;
    if (!m_options.profile.isEmpty()) {
        auto saved = m_profiles.find(m_options.profile);
        if (!saved) {
            std::fprintf(stderr, "skiff-dashboard: no saved profile named '%s' (File > Connect saves one)\n",
                         qPrintable(m_options.profile));
            return 2;
        }
        profile = *saved;
    }
    if (!m_options.connect.isEmpty())
        profile.addresses = m_options.connect;
    if (m_options.rateHz)
        profile.rateHz = m_options.rateHz;
    if (m_options.watchdogMissMs)
        profile.watchdogMissMs = m_options.watchdogMissMs;
    if (profile.addresses.isEmpty()) {
        // Interactive start without arguments: the last profile, or ask.
        if (auto last = m_profiles.find(m_profiles.lastUsed())) {
            profile = *last;
        } else {
            ConnectDialog dialog(&m_profiles, profile);
            if (dialog.exec() != QDialog::Accepted)
                return 0;
            profile = dialog.profile();
        }
    }
    // What the command line says wins over the profile's, secrets included.
    if (!m_options.token.isEmpty())
        profile.token = m_options.token;
    if (m_options.tls.enabled) {
        profile.tls = m_options.tls;
        if (auto config = adminSslConfiguration(profile.tls); !config.isOk()) {
            std::fprintf(stderr, "skiff-dashboard: %s\n", config.status().message().c_str());
            return 2;
        }
    }
    m_client.setDiscover(m_options.discover);
    if (m_options.diskAlertFreePercent)
        m_model.setDiskAlertFreePercent(m_options.diskAlertFreePercent);
    m_window->resize(m_options.size);
    m_window->setDark(m_options.dark);
    if (!m_window->showTab(m_options.tab)) {
        std::fprintf(stderr, "skiff-dashboard: --tab %s: expected one of %s\n", qPrintable(m_options.tab),
                     qPrintable(MainWindow::tabNames().join(QStringLiteral(", "))));
        return 2;
    }
    m_window->show();
    if (m_options.batch()) {
        connect(&m_model, &ClusterModel::nodesChanged, this, &DashboardApp::checkBatchReady);
        connect(&m_model, &ClusterModel::partitionsChanged, this, &DashboardApp::checkBatchReady);
        m_batchTimeout.start(m_options.screenshotTimeoutMs);
    }
    if (m_options.quitAfterMs > 0)
        QTimer::singleShot(m_options.quitAfterMs, this, [] { QCoreApplication::exit(0); });
    // The profile's token and key passphrase come from the keyring, later: connecting waits for
    // them (an encrypted key cannot be used without its passphrase), the window does not.
    m_profiles.readSecrets(profile, [this](const Profile &withSecrets) { connectProfile(withSecrets); });
    return -1;
}

void DashboardApp::connectProfile(const Profile &profile)
{
    NodeConnection::Options c;
    c.token = profile.token;
    c.tls = profile.tls;
    c.rateHz = uint32_t(std::clamp(profile.rateHz, 1, int(admin::kMaxSubscribeRateHz)));
    m_client.setConnectionOptions(c);
    m_window->setProfile(profile);
    m_client.connectTo(profile.addresses);
}

void DashboardApp::checkBatchReady()
{
    if (m_batchScheduled || !m_model.isFullyUpdated())
        return;
    // Two samples per answering node: the rate charts need a pair to draw anything.
    for (const NodeEntry &n : m_model.nodes())
        if (n.hasSnapshot && n.history.size() < 2 && n.state == NodeConnection::State::Streaming)
            return;
    m_batchScheduled = true;
    // --screenshot-timeout-ms bounds the wait for the full update, which came: the delay after
    // it is what was asked for, however long (it used to run into the timeout).
    m_batchTimeout.stop();
    QTimer::singleShot(m_options.screenshotDelayMs, this, &DashboardApp::writeBatchOutputs);
}

void DashboardApp::writeBatchOutputs()
{
    m_batchTimeout.stop();
    bool ok = true;
    if (!m_options.screenshot.isEmpty()) {
        const QImage image = m_window->render();
        if (!image.save(m_options.screenshot, "PNG")) {
            std::fprintf(stderr, "skiff-dashboard: cannot write the screenshot to %s\n", qPrintable(m_options.screenshot));
            ok = false;
        }
    }
    if (!m_options.exportJson.isEmpty())
        ok = writeFile(m_options.exportJson, ChartDataExporter::toJson(m_model)) && ok;
    if (!m_options.exportCsv.isEmpty())
        ok = writeFile(m_options.exportCsv, ChartDataExporter::toCsv(m_model)) && ok;
    QCoreApplication::exit(ok ? 0 : 1);
}

void DashboardApp::batchTimedOut()
{
    QStringList waiting;
    for (const NodeEntry &n : m_model.nodes()) {
        if (!n.hasSnapshot && n.failures == 0)
            waiting << QStringLiteral("%1 (still connecting)").arg(n.address);
        else if (n.hasSnapshot && n.history.size() < 2)
            waiting << QStringLiteral("%1 (one snapshot only)").arg(n.address);
    }
    if (waiting.isEmpty() && !m_model.hasPartitions())
        waiting << QStringLiteral("the partition list");
    std::fprintf(stderr, "skiff-dashboard: no full update within %d ms; waiting for %s\n", m_options.screenshotTimeoutMs,
                 waiting.isEmpty() ? "nothing (internal error)" : qPrintable(waiting.join(QStringLiteral(", "))));
    QCoreApplication::exit(1);
}

} // namespace skiff::gui
