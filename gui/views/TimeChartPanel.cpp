#include "views/TimeChartPanel.h"

#include "views/ChartKit.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>

namespace skiff::gui {

TimeChartPanel::TimeChartPanel(ClusterModel *cluster, QWidget *parent)
    : QWidget(parent), m_cluster(cluster), m_timer(new QTimer(this))
{
}

QHBoxLayout *TimeChartPanel::makeWindowRow()
{
    m_window = chartkit::makeWindowPicker(m_windowMs);
    connect(m_window, &QComboBox::currentIndexChanged, this, [this] { setWindowMs(m_window->currentData().toLongLong()); });
    auto *label = new QLabel(tr("&Window:"));
    label->setBuddy(m_window);
    auto *row = new QHBoxLayout;
    row->addWidget(label);
    row->addWidget(m_window);
    return row;
}

void TimeChartPanel::startRefreshing()
{
    applyTheme();
    connect(m_timer, &QTimer::timeout, this, &TimeChartPanel::refresh);
    m_timer->start(kRefreshMs);
}

void TimeChartPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void TimeChartPanel::setWindowMs(qint64 ms)
{
    if (!m_window || !chartkit::selectWindow(m_window, ms))
        return;
    const bool changed = m_windowMs != ms;
    m_windowMs = ms;
    refresh();
    if (changed)
        emit windowChanged(ms);
}

void TimeChartPanel::setDark(bool dark)
{
    m_dark = dark;
    applyTheme();
}

} // namespace skiff::gui
