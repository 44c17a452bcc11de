#pragma once
// The dashboard window: a header line (cluster, leader, term, nodes reachable), the health line,
// a card per node, and tabs for charts, alerts, brokers, topics, events and the nodes table. It
// renders models and forwards the user's intent; it owns no socket and decides nothing about
// health. Everything is reachable from the keyboard: menus and items by their letter, tabs by
// Ctrl/Alt+1..6, and Tab moves between widgets (the tables do not swallow it;
// tests/gui/KeyboardTest proves it).

#include "models/Profile.h"

#include <QMainWindow>
#include <QTimer>

#include <array>

class QAbstractItemModel;
class QLabel;
class QTabWidget;
class QTableView;
class QComboBox;

namespace skiff::gui {

class ActionsController;
class AlertsModel;
class BrokersModel;
class ChartsPanel;
class ClusterClient;
class ClusterModel;
class EventsModel;
class NodeCardsView;
class NodesModel;
class ProfileStore;
class RowTableModel;
class TopicsModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(ClusterClient *client, ClusterModel *model, ProfileStore *profiles, QWidget *parent = nullptr);

    void setProfile(const Profile &profile);
    void setDark(bool dark);
    // "charts", "alerts", "brokers", "topics", "events", "nodes"; false for an unknown name.
    bool showTab(const QString &name);
    // Draws the charts with the latest data and renders the window.
    QImage render();
    // The header and the tables follow the model at the charts' 4 Hz, not per snapshot; this
    // applies what is waiting (render() does it first).
    void flushPendingUpdates();

    ChartsPanel *charts() const { return m_charts; }
    NodeCardsView *nodeCards() const { return m_nodeCards; }
    NodesModel *nodesModel() const { return m_nodesModel; }
    BrokersModel *brokersModel() const { return m_brokersModel; }
    TopicsModel *topicsModel() const { return m_topicsModel; }
    EventsModel *eventsModel() const { return m_eventsModel; }
    AlertsModel *alertsModel() const { return m_alertsModel; }
    QString headerText() const;
    QString healthText() const;

signals:
    // The user chose another cluster in the connect dialog.
    void connectRequested(const skiff::gui::Profile &profile);

private:
    void buildMenus();
    void showTabAndFocus(int index);
    QWidget *buildEventsTab();
    QTableView *makeTable(QAbstractItemModel *model);
    void updateHeader();
    void scheduleHeader();
    std::array<RowTableModel *, 5> tableModels() const;
    void exportData(bool json);
    void openConnectDialog();
    void refillEventFilters();

    ClusterClient *m_client;
    ClusterModel *m_model;
    ProfileStore *m_profiles;
    Profile m_profile;
    ActionsController *m_actions;
    NodesModel *m_nodesModel;
    BrokersModel *m_brokersModel;
    TopicsModel *m_topicsModel;
    EventsModel *m_eventsModel;
    AlertsModel *m_alertsModel;
    QLabel *m_header;
    QLabel *m_health;
    QTabWidget *m_tabs;
    ChartsPanel *m_charts;
    NodeCardsView *m_nodeCards;
    QComboBox *m_eventNode;
    QComboBox *m_eventKind;
    QLabel *m_historyNotice;   // nodes too old to send their recent events
    bool m_dark = false;
    QTimer m_headerTimer;
};

} // namespace skiff::gui
