#include "views/MainWindow.h"

#include "models/AlertsModel.h"
#include "models/BrokersModel.h"
#include "models/ChartDataExporter.h"
#include "models/ClusterModel.h"
#include "models/EventsModel.h"
#include "models/Format.h"
#include "models/GroupsModel.h"
#include "models/LatencyModel.h"
#include "models/NodesModel.h"
#include "models/ProfileStore.h"
#include "models/PartitionsModel.h"
#include "models/TopicTrafficModel.h"
#include "net/ClusterClient.h"
#include "views/ActionsController.h"
#include "views/ChartsPanel.h"
#include "views/ConnectDialog.h"
#include "views/GroupsPanel.h"
#include "views/NodeCardsView.h"
#include "views/TrafficPanel.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPalette>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace skiff::gui {
namespace {

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6), disabled(0x80, 0x80, 0x80);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x5c, 0xa8, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xc0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Disabled, QPalette::Text, disabled);
    p.setColor(QPalette::Disabled, QPalette::WindowText, disabled);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, disabled);
    return p;
}

} // namespace

MainWindow::MainWindow(ClusterClient *client, ClusterModel *model, ProfileStore *profiles, QWidget *parent)
    : QMainWindow(parent), m_client(client), m_model(model), m_profiles(profiles), m_headerTimer(this)
{
    setWindowTitle(tr("Skiff Dashboard"));
    // The icon is the application's (main() sets it from the compiled-in resource).
    m_actions = new ActionsController(client, model, this);
    m_nodesModel = new NodesModel(model, this);
    m_brokersModel = new BrokersModel(model, this);
    m_partitionsModel = new PartitionsModel(model, this);
    m_eventsModel = new EventsModel(model, this);
    m_alertsModel = new AlertsModel(model, this);
    m_topicTrafficModel = new TopicTrafficModel(model, this);
    m_latencyModel = new LatencyModel(model, this);
    m_groupsModel = new GroupsModel(model, this);
    m_groupOffsetsModel = new GroupOffsetsModel(model, this);
    // Five nodes at 10 Hz are 50 snapshots a second: the tables and the header follow at the
    // charts' rate, each rebuilt and repainted at most 4 times a second.
    for (RowTableModel *m : tableModels())
        m->setRebuildIntervalMs(ChartsPanel::kRefreshMs);
    m_headerTimer.setSingleShot(true);
    m_headerTimer.setInterval(ChartsPanel::kRefreshMs);
    connect(&m_headerTimer, &QTimer::timeout, this, &MainWindow::updateHeader);

    m_header = new QLabel;
    QFont headerFont = m_header->font();
    headerFont.setPointSizeF(headerFont.pointSizeF() * 1.2);
    headerFont.setBold(true);
    m_header->setFont(headerFont);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_health = new QLabel;
    m_health->setAutoFillBackground(true);
    m_health->setMargin(4);
    m_health->setWordWrap(true);
    m_health->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_nodeCards = new NodeCardsView(m_nodesModel);
    m_nodeCards->setToolTip(tr("Red or amber border: the node disagrees with the others, is unreachable or not ready (hover for why)"));
    auto *nodes = makeTable(m_nodesModel);
    nodes->setToolTip(tr("Flagged rows: the node disagrees with the others, is unreachable or not ready (hover for why)"));

    m_charts = new ChartsPanel(model);
    m_tabs = new QTabWidget;
    m_tabs->addTab(m_charts, tr("&Charts"));
    m_tabs->addTab(makeTable(m_alertsModel), tr("&Alerts"));
    m_tabs->addTab(makeTable(m_brokersModel), tr("&Brokers"));
    m_tabs->addTab(buildPartitionsTab(), tr("&Partitions"));
    m_tabs->addTab(buildEventsTab(), tr("&Events"));
    // Every column of the cards, sortable by eye and copyable.
    m_tabs->addTab(nodes, tr("Node&s"));
    m_tabs->addTab(buildTrafficTab(), tr("&Traffic"));
    m_tabs->addTab(buildGroupsTab(), tr("&Groups"));
    // One window for every time chart: the Charts tab's picker leads, the others follow and tell it.
    connect(m_charts, &ChartsPanel::windowChanged, m_traffic, &TrafficPanel::setWindowMs);
    connect(m_charts, &ChartsPanel::windowChanged, m_groupsPanel, &GroupsPanel::setWindowMs);
    connect(m_traffic, &TrafficPanel::windowChanged, m_charts, &ChartsPanel::setWindowMs);
    connect(m_groupsPanel, &GroupsPanel::windowChanged, m_charts, &ChartsPanel::setWindowMs);

    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_nodeCards);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 4);
    split->setSizes({215, 555});

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addWidget(m_header);
    layout->addWidget(m_health);
    layout->addWidget(split, 1);
    setCentralWidget(central);

    buildMenus();
    connect(m_actions, &ActionsController::finished, this, [this](const QString &message, bool ok) {
        statusBar()->showMessage(message, ok ? 10000 : 0);
        if (!ok && isVisible() && QGuiApplication::platformName() != QLatin1String("offscreen"))
            QMessageBox::warning(this, tr("Skiff Dashboard"), message);
        m_client->refreshPartitions();
    });
    connect(model, &ClusterModel::nodesChanged, this, &MainWindow::scheduleHeader);
    connect(model, &ClusterModel::alertsChanged, this, &MainWindow::scheduleHeader);
    connect(model, &ClusterModel::partitionsChanged, this, &MainWindow::scheduleHeader);
    connect(model, &ClusterModel::eventsChanged, this, &MainWindow::refillEventFilters);
    updateHeader();
    resize(1280, 800);
}

QTableView *MainWindow::makeTable(QAbstractItemModel *model)
{
    auto *view = new QTableView;
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setAlternatingRowColors(false);   // flag tints must stay the only row colours
    view->verticalHeader()->hide();
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->setWordWrap(false);
    // Tab leaves the table for the next widget instead of walking every cell of every row (the
    // arrows move within it); otherwise a long events table traps the keyboard.
    view->setTabKeyNavigation(false);
    return view;
}

QTableView *MainWindow::makeSortableTable(RowTableModel *model, QSortFilterProxyModel **proxyOut)
{
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model);
    proxy->setSortRole(RowTableModel::SortRole);
    proxy->setSortCaseSensitivity(Qt::CaseInsensitive);
    QTableView *view = makeTable(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(0, Qt::AscendingOrder);
    if (proxyOut)
        *proxyOut = proxy;
    return view;
}

QWidget *MainWindow::buildPartitionsTab()
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 4, 0, 0);
    QTableView *table = makeSortableTable(m_partitionsModel, &m_partitionsView);
    table->setToolTip(tr("Flagged rows: offline (red) or under-replicated (amber) partitions (hover for why)"));
    m_partitionsView->setFilterKeyColumn(PartitionsModel::Topic);
    m_partitionsView->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_partitionFilter = new QLineEdit;
    m_partitionFilter->setPlaceholderText(tr("part of a topic name"));
    m_partitionFilter->setClearButtonEnabled(true);
    connect(m_partitionFilter, &QLineEdit::textChanged, m_partitionsView, &QSortFilterProxyModel::setFilterFixedString);
    auto *label = new QLabel(tr("Topics &matching:"));
    label->setBuddy(m_partitionFilter);
    auto *filter = new QHBoxLayout;
    filter->addWidget(label);
    filter->addWidget(m_partitionFilter, 1);
    // The table joins the page first and so comes first in the focus chain: Ctrl+4 lands in it and
    // the arrows work at once; Alt+M goes to the filter above it.
    layout->addWidget(table, 1);
    layout->insertLayout(0, filter);
    return box;
}

QWidget *MainWindow::buildTrafficTab()
{
    m_traffic = new TrafficPanel(m_model);
    QTableView *topics = makeSortableTable(m_topicTrafficModel);
    topics->setToolTip(tr("Per topic, summed over the nodes that served it, per second over the last rate span"));
    QTableView *latency = makeSortableTable(m_latencyModel);
    latency->setToolTip(tr("p50, p99 and max since the node started; requests/s and p99 over the last rate span"));
    auto *tables = new QSplitter(Qt::Horizontal);
    tables->addWidget(topics);
    tables->addWidget(latency);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_traffic);
    split->addWidget(tables);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    return split;
}

QWidget *MainWindow::buildGroupsTab()
{
    m_groupsPanel = new GroupsPanel(m_model);
    QTableView *groups = makeSortableTable(m_groupsModel);
    groups->setToolTip(tr("Flagged rows: the group's lag grows (hover for its members and their assignments)"));
    QTableView *offsets = makeSortableTable(m_groupOffsetsModel);
    offsets->setToolTip(tr("Committed offsets and the lag behind each partition's high watermark, as the nodes report them"));
    auto *tables = new QSplitter(Qt::Horizontal);
    tables->addWidget(groups);
    tables->addWidget(offsets);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(m_groupsPanel);
    split->addWidget(tables);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    return split;
}

QWidget *MainWindow::buildEventsTab()
{
    auto *box = new QWidget;
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 4, 0, 0);
    auto *filters = new QHBoxLayout;
    m_eventNode = new QComboBox;
    m_eventKind = new QComboBox;
    m_eventNode->addItem(tr("all nodes"), QVariant::fromValue<qulonglong>(0));
    m_eventKind->addItem(tr("all kinds"), QString());
    auto *nodeLabel = new QLabel(tr("N&ode:"));
    nodeLabel->setBuddy(m_eventNode);
    auto *kindLabel = new QLabel(tr("&Kind:"));
    kindLabel->setBuddy(m_eventKind);
    filters->addWidget(nodeLabel);
    filters->addWidget(m_eventNode);
    filters->addWidget(kindLabel);
    filters->addWidget(m_eventKind);
    filters->addStretch(1);
    layout->addLayout(filters);
    m_historyNotice = new QLabel;
    m_historyNotice->setWordWrap(true);
    m_historyNotice->setVisible(false);
    layout->addWidget(m_historyNotice);
    layout->addWidget(makeTable(m_eventsModel), 1);
    connect(m_eventNode, &QComboBox::currentIndexChanged, this,
            [this] { m_eventsModel->setNodeFilter(m_eventNode->currentData().toULongLong()); });
    connect(m_eventKind, &QComboBox::currentIndexChanged, this,
            [this] { m_eventsModel->setKindFilter(m_eventKind->currentData().toString()); });
    return box;
}

void MainWindow::refillEventFilters()
{
    const QStringList notices = m_model->historyNotices();
    m_historyNotice->setText(notices.join(QLatin1Char('\n')));
    m_historyNotice->setVisible(!notices.isEmpty());
    for (uint64_t id : m_eventsModel->nodeIds())
        if (m_eventNode->findData(QVariant::fromValue<qulonglong>(id)) < 0)
            m_eventNode->addItem(tr("node %1").arg(id), QVariant::fromValue<qulonglong>(id));
    for (const QString &kind : m_eventsModel->kinds())
        if (m_eventKind->findData(kind) < 0)
            m_eventKind->addItem(kind, kind);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Connect…"), QKeySequence(Qt::CTRL | Qt::Key_O), this, &MainWindow::openConnectDialog);
    file->addAction(tr("Export chart data as &JSON…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] { exportData(true); });
    file->addAction(tr("Export chart data as CS&V…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this, [this] { exportData(false); });
    file->addAction(tr("Save &screenshot…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save screenshot"), QStringLiteral("skiff-dashboard.png"),
                                                          tr("PNG images (*.png)"));
        if (!path.isEmpty())
            statusBar()->showMessage(render().save(path) ? tr("saved %1").arg(path) : tr("could not write %1").arg(path), 10000);
    });
    file->addSeparator();
    // QKeySequence::Quit is empty where the platform theme names none (offscreen, bare X11
    // window managers): Ctrl+Q is what every Linux desktop uses.
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcuts(QKeySequence::keyBindings(QKeySequence::Quit).isEmpty()
                           ? QList<QKeySequence>{QKeySequence(Qt::CTRL | Qt::Key_Q)}
                           : QKeySequence::keyBindings(QKeySequence::Quit));

    QMenu *cluster = menuBar()->addMenu(tr("C&luster"));
    cluster->addAction(tr("&Transfer leadership…"), m_actions, &ActionsController::transferLeader);
    cluster->addAction(tr("&Add node…"), m_actions, &ActionsController::addNode);
    cluster->addAction(tr("&Remove node…"), m_actions, &ActionsController::removeNode);
    cluster->addSeparator();
    cluster->addAction(tr("&Create topic…"), m_actions, &ActionsController::createTopic);
    cluster->addAction(tr("&Delete topic…"), m_actions, &ActionsController::deleteTopic);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    auto *themes = new QActionGroup(this);
    QAction *light = view->addAction(tr("&Light palette"), this, [this] { setDark(false); });
    QAction *dark = view->addAction(tr("&Dark palette"), this, [this] { setDark(true); });
    for (QAction *a : {light, dark}) {
        a->setCheckable(true);
        themes->addAction(a);
    }
    light->setChecked(true);
    view->addSeparator();
    for (int i = 0; i < m_tabs->count(); ++i) {
        QAction *tab = view->addAction(m_tabs->tabText(i), this, [this, i] { showTabAndFocus(i); });
        // Ctrl+digit as in browsers and most tabbed tools; Alt+digit kept for whoever learnt it.
        tab->setShortcuts({QKeySequence(Qt::CTRL | (Qt::Key_1 + i)), QKeySequence(Qt::ALT | (Qt::Key_1 + i))});
    }
    view->addSeparator();
    // The snapshots stream; the partition list is polled, so this is what can be stale.
    view->addAction(tr("&Refresh partitions"), QKeySequence::Refresh, m_client, &ClusterClient::refreshPartitions);
}

void MainWindow::showTabAndFocus(int index)
{
    m_tabs->setCurrentIndex(index);
    // Into the page, so the arrows work at once: its first widget that Tab would reach.
    QWidget *page = m_tabs->currentWidget();
    QWidget *w = page;
    do {
        if ((w == page || page->isAncestorOf(w)) && (w->focusPolicy() & Qt::TabFocus) && w->isVisibleTo(this) && w->isEnabled()) {
            w->setFocus(Qt::ShortcutFocusReason);
            return;
        }
        w = w->nextInFocusChain();
    } while (w && w != page);
}

void MainWindow::setProfile(const Profile &profile)
{
    m_profile = profile;
    m_charts->setWatchdogMissMs(profile.watchdogMissMs);
    setWindowTitle(profile.name.isEmpty() ? tr("Skiff Dashboard") : tr("%1 — Skiff Dashboard").arg(profile.name));
}

void MainWindow::showNotice(const QString &line)
{
    if (!m_notice) {
        m_notice = new QLabel;
        m_notice->setObjectName(QStringLiteral("notice"));
        statusBar()->addPermanentWidget(m_notice);
    }
    m_notice->setText(line);
}

void MainWindow::setDark(bool dark)
{
    m_dark = dark;
    // Fusion draws with the palette on every platform, so both palettes look as designed.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    const QPalette palette = dark ? darkPalette() : QApplication::style()->standardPalette();
    QApplication::setPalette(palette);   // dialogs opened later
    setPalette(palette);                 // this window now, without waiting for posted events
    m_charts->setDark(dark);
    m_traffic->setDark(dark);
    m_groupsPanel->setDark(dark);
    updateHeader();
}

QStringList MainWindow::tabNames()
{
    return {QStringLiteral("charts"), QStringLiteral("alerts"), QStringLiteral("brokers"), QStringLiteral("partitions"),
            QStringLiteral("events"), QStringLiteral("nodes"), QStringLiteral("traffic"), QStringLiteral("groups")};
}

bool MainWindow::showTab(const QString &name)
{
    // Scripts written when the partitions tab was called Topics keep working.
    const QString wanted = name.compare(QLatin1String("topics"), Qt::CaseInsensitive) == 0 ? QStringLiteral("partitions") : name;
    const int at = int(tabNames().indexOf(wanted.toLower()));
    if (at < 0)
        return false;
    m_tabs->setCurrentIndex(at);
    return true;
}

QString MainWindow::headerText() const { return m_header->text(); }
QString MainWindow::healthText() const { return m_health->text(); }

std::array<RowTableModel *, 9> MainWindow::tableModels() const
{
    return {m_nodesModel,   m_brokersModel,      m_partitionsModel, m_eventsModel,      m_alertsModel,
            m_topicTrafficModel, m_latencyModel, m_groupsModel,     m_groupOffsetsModel};
}

void MainWindow::scheduleHeader()
{
    if (!m_headerTimer.isActive())
        m_headerTimer.start();
}

void MainWindow::flushPendingUpdates()
{
    for (RowTableModel *m : tableModels())
        m->flush();
    if (m_headerTimer.isActive()) {
        m_headerTimer.stop();
        updateHeader();
    }
}

void MainWindow::updateHeader()
{
    m_headerTimer.stop();
    int streaming = 0, unreachable = 0;
    uint64_t term = 0;
    for (const NodeEntry &n : m_model->nodes()) {
        streaming += n.streaming() ? 1 : 0;
        unreachable += n.unreachable() ? 1 : 0;
        if (n.streaming())
            term = std::max(term, n.latest.term());
    }
    const uint64_t leader = m_model->leaderId();
    QString cluster = m_model->clusterId();
    if (cluster.isEmpty())
        cluster = m_profile.name.isEmpty() ? tr("(no node answered yet)") : m_profile.name;
    QStringList parts{tr("Cluster %1").arg(cluster), tr("%1/%2 nodes connected").arg(streaming).arg(m_model->nodes().size())};
    if (unreachable)
        parts << tr("%1 unreachable").arg(unreachable);
    parts << (leader ? tr("leader node %1").arg(leader) : tr("no leader")) << tr("term %1").arg(term)
          << tr("%1 partitions").arg(m_model->partitions().partitions_size());
    // The cluster's throughput, as the nodes that report it count it.
    if (const auto total = m_model->clusterTraffic())
        parts << tr("in %1 (%2 msg)").arg(formatByteRate(total->bytesIn), formatCountRate(total->messagesIn))
              << tr("out %1").arg(formatByteRate(total->consumerBytesOut));
    else if (streaming > 0 && m_model->nodesWithoutTraffic().size() == streaming)
        parts << tr("throughput: node too old for this view");
    m_header->setText(parts.join(QStringLiteral("  ·  ")));

    const bool healthy = m_model->healthy() && !m_model->nodes().empty();
    QString health = (healthy ? QStringLiteral("✔ ") : QStringLiteral("✖ ")) + m_model->healthSummary();
    // Partitions in trouble are counted here even when another alert is the worst.
    const ClusterModel::PartitionHealth partitions = m_model->partitionHealth();
    const bool partitionsAlertShown = !m_model->alerts().empty() && m_model->alerts().front().source == QLatin1String("partitions");
    if ((partitions.offline || partitions.underReplicated) && !partitionsAlertShown)
        health += tr("  ·  partitions: %1 offline, %2 under-replicated").arg(partitions.offline).arg(partitions.underReplicated);
    m_health->setText(health);
    QPalette p = m_health->palette();
    // Background tints with dark text or light text to stay readable in both palettes.
    if (healthy) {
        p.setColor(QPalette::Window, m_dark ? QColor(0x1e, 0x5a, 0x2e) : QColor(0xd4, 0xf4, 0xdc));
        p.setColor(QPalette::WindowText, m_dark ? QColor(0xe8, 0xff, 0xec) : QColor(0x0d, 0x3d, 0x1a));
    } else {
        p.setColor(QPalette::Window, m_dark ? QColor(0x6a, 0x1e, 0x1e) : QColor(0xfb, 0xd9, 0xd9));
        p.setColor(QPalette::WindowText, m_dark ? QColor(0xff, 0xec, 0xec) : QColor(0x5c, 0x0a, 0x0a));
    }
    m_health->setPalette(p);
    m_tabs->setTabText(1, m_model->alerts().empty() ? tr("&Alerts") : tr("&Alerts (%1)").arg(m_model->alerts().size()));
}

void MainWindow::exportData(bool json)
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export chart data"),
                                                      json ? QStringLiteral("skiff-charts.json") : QStringLiteral("skiff-charts.csv"),
                                                      json ? tr("JSON (*.json)") : tr("CSV (*.csv)"));
    if (path.isEmpty())
        return;
    QFile f(path);
    const QByteArray data = json ? ChartDataExporter::toJson(*m_model) : ChartDataExporter::toCsv(*m_model);
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size())
        statusBar()->showMessage(tr("could not write %1: %2").arg(path, f.errorString()));
    else
        statusBar()->showMessage(tr("wrote %1").arg(path), 10000);
}

void MainWindow::openConnectDialog()
{
    ConnectDialog dialog(m_profiles, m_profile, this);
    if (dialog.exec() == QDialog::Accepted)
        emit connectRequested(dialog.profile());
}

QImage MainWindow::render()
{
    flushPendingUpdates();
    m_charts->refresh();
    m_traffic->refresh();
    m_groupsPanel->refresh();
    return grab().toImage();
}

} // namespace skiff::gui
