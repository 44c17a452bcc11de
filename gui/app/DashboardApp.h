#pragma once
// Wires the dashboard together: options and profiles, the ClusterClient, the ClusterModel and
// the window. In batch mode (--screenshot, --export-json, --export-csv) it waits for the first
// full update of every node (each one answered twice, so rates are drawn, or failed to connect),
// writes the files and exits: 0, or 1 with one line saying which node never answered.

#include "app/DashboardOptions.h"
#include "models/ClusterModel.h"
#include "models/ProfileStore.h"
#include "net/ClusterClient.h"

#include <QObject>
#include <QTimer>

#include <memory>

namespace skiff::gui {

class MainWindow;

class DashboardApp : public QObject {
    Q_OBJECT
public:
    explicit DashboardApp(DashboardOptions options, QObject *parent = nullptr);
    ~DashboardApp() override;

    // Shows the window and starts connecting. Returns an exit code when there is nothing to run
    // (the connect dialog was cancelled), or -1 to enter the event loop.
    int start();

    MainWindow *window() const { return m_window.get(); }
    ClusterModel *model() { return &m_model; }

private:
    void connectProfile(const Profile &profile);
    void checkBatchReady();
    void writeBatchOutputs();
    void batchTimedOut();

    DashboardOptions m_options;
    ProfileStore m_profiles;
    ClusterClient m_client;
    ClusterModel m_model;
    std::unique_ptr<MainWindow> m_window;
    QTimer m_batchTimeout;
    bool m_batchScheduled = false;
};

} // namespace skiff::gui
