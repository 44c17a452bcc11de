#pragma once
// The dashboard window: a header line (cluster, leader, term, nodes reachable, throughput), the
// health line, a card per node, and tabs for charts, alerts, brokers, partitions, events, the
// nodes table, traffic (throughput and latency charts, per-topic rates, latency per API) and
// consumer groups (total lag over time, groups, committed offsets and lag per partition). It
// renders models and forwards the user's intent; it owns no socket and decides nothing about
// health. Everything is reachable from the keyboard: menus and items by their letter, tabs by
// Ctrl/Alt+1..8, and Tab moves between widgets (the tables do not swallow it;
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
class QLineEdit;
class QSortFilterProxyModel;

namespace skiff::gui {

class ActionsController;
class AlertsModel;
class BrokersModel;
class ChartsPanel;
class ClusterClient;
class ClusterModel;
class EventsModel;
class GroupOffsetsModel;
class GroupsModel;
class GroupsPanel;
class LatencyModel;
class NodeCardsView;
class NodesModel;
class ProfileStore;
class RowTableModel;
class PartitionsModel;
class TopicTrafficModel;
class TrafficPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    MainWindow(ClusterClient *client, ClusterModel *model, ProfileStore *profiles, QWidget *parent = nullptr);

    void setProfile(const Profile &profile);
    // A line that stays in the status bar (the keyring is missing), beside the passing messages.
    void showNotice(const QString &line);
    void setDark(bool dark);
    // A tab by its name: "charts", "alerts", "brokers", "partitions" (also "topics", its name
    // before), "events", "nodes", "traffic", "groups"; false for an unknown name.
    bool showTab(const QString &name);
    // Draws the charts with the latest data and renders the window.
    QImage render();
    // The header and the tables follow the model at the charts' 4 Hz, not per snapshot; this
    // applies what is waiting (render() does it first).
    void flushPendingUpdates();

    static QStringList tabNames();
    ChartsPanel *charts() const { return m_charts; }
    TrafficPanel *traffic() const { return m_traffic; }
    TopicTrafficModel *topicTrafficModel() const { return m_topicTrafficModel; }
    LatencyModel *latencyModel() const { return m_latencyModel; }
    GroupsPanel *groupsPanel() const { return m_groupsPanel; }
    GroupsModel *groupsModel() const { return m_groupsModel; }
    GroupOffsetsModel *groupOffsetsModel() const { return m_groupOffsetsModel; }
    // The partitions table as shown: sorted and filtered by topic.
    QSortFilterProxyModel *partitionsView() const { return m_partitionsView; }
    QLineEdit *partitionFilter() const { return m_partitionFilter; }
    NodeCardsView *nodeCards() const { return m_nodeCards; }
    NodesModel *nodesModel() const { return m_nodesModel; }
    BrokersModel *brokersModel() const { return m_brokersModel; }
    PartitionsModel *partitionsModel() const { return m_partitionsModel; }
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
    QWidget *buildPartitionsTab();
    QWidget *buildTrafficTab();
    QWidget *buildGroupsTab();
    QTableView *makeTable(QAbstractItemModel *model);
    // A table sorted by clicking its headers (by RowTableModel::SortRole).
    QTableView *makeSortableTable(RowTableModel *model, QSortFilterProxyModel **proxy = nullptr);
    void updateHeader();
    void scheduleHeader();
    std::array<RowTableModel *, 9> tableModels() const;
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
    PartitionsModel *m_partitionsModel;
    EventsModel *m_eventsModel;
    AlertsModel *m_alertsModel;
    TopicTrafficModel *m_topicTrafficModel;
    LatencyModel *m_latencyModel;
    GroupsModel *m_groupsModel;
    GroupOffsetsModel *m_groupOffsetsModel;
    QSortFilterProxyModel *m_partitionsView = nullptr;
    QLineEdit *m_partitionFilter = nullptr;
    QLabel *m_header;
    QLabel *m_health;
    QTabWidget *m_tabs;
    ChartsPanel *m_charts;
    TrafficPanel *m_traffic = nullptr;
    GroupsPanel *m_groupsPanel = nullptr;
    NodeCardsView *m_nodeCards;
    QComboBox *m_eventNode;
    QComboBox *m_eventKind;
    QLabel *m_notice = nullptr;
    QLabel *m_historyNotice;   // nodes too old to send their recent events
    bool m_dark = false;
    QTimer m_headerTimer;
};

} // namespace skiff::gui
