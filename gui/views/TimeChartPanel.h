#pragma once
// What every tab of time charts shares (Charts, Traffic, Groups): the window picker (MainWindow
// keeps the tabs' windows together through windowChanged), the light or dark theme, and the
// redraw at a fixed 4 Hz while the tab is visible, never per snapshot.

#include <QWidget>

class QComboBox;
class QHBoxLayout;
class QShowEvent;
class QTimer;

namespace skiff::gui {

class ClusterModel;

class TimeChartPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kRefreshMs = 250;        // 4 Hz
    static constexpr qint64 kDefaultWindowMs = 120'000;   // until another of kWindowChoicesMs is picked
    static constexpr qint64 kMinWindowMs = 10'000;
    static constexpr qint64 kWindowChoicesMs[] = {60'000, 120'000, 300'000, 600'000};

    // One of kWindowChoicesMs (the window picker offers the same); others are ignored.
    void setWindowMs(qint64 ms);
    qint64 windowMs() const { return m_windowMs; }
    void setDark(bool dark);
    // Redraws now (the timer does it otherwise, while the panel is visible); the screenshot
    // calls it before grabbing.
    virtual void refresh() = 0;

signals:
    // The window picker (or setWindowMs) chose another window: the other time charts follow.
    void windowChanged(qint64 ms);

protected:
    TimeChartPanel(ClusterModel *cluster, QWidget *parent);
    // The "Window:" label and picker, for the top of the panel.
    QHBoxLayout *makeWindowRow();
    // Applies the theme and starts the redraw timer: the last step of a panel's constructor.
    void startRefreshing();
    virtual void applyTheme() = 0;
    void showEvent(QShowEvent *event) override;

    ClusterModel *m_cluster;
    qint64 m_windowMs = kDefaultWindowMs;
    bool m_dark = false;

private:
    QTimer *m_timer;
    QComboBox *m_window = nullptr;
};

} // namespace skiff::gui
