#include "ModalDriver.h"

#include <QApplication>
#include <QDialog>
#include <QTest>
#include <QWidget>

namespace skiff::gui::test {

ModalDriver *ModalDriver::s_current = nullptr;

ModalDriver::ModalDriver(std::vector<Step> steps, int timeoutMs, QObject *parent)
    : QObject(parent), m_steps(std::move(steps)), m_timer(this), m_timeoutMs(timeoutMs)
{
    m_timer.setInterval(10);
    connect(&m_timer, &QTimer::timeout, this, &ModalDriver::poll);
    m_timer.start();
    m_age.start();
    if (s_current)
        s_current->m_timer.stop();
    s_current = this;
}

ModalDriver::~ModalDriver()
{
    if (s_current == this)
        s_current = nullptr;
}

void ModalDriver::rejectAllModals()
{
    // Bounded: a dialog that refuses to close must not turn into an endless loop.
    for (int i = 0; i < 16; ++i) {
        QWidget *w = QApplication::activeModalWidget();
        if (!w)
            return;
        if (auto *d = qobject_cast<QDialog *>(w))
            d->reject();
        else
            w->close();
    }
}

void ModalDriver::poll()
{
    if (m_age.elapsed() > m_timeoutMs) {
        m_timer.stop();
        if (m_next < m_steps.size())
            QTest::qFail(qPrintable(QStringLiteral("ModalDriver: step %1 of %2 found no dialog").arg(m_next + 1).arg(m_steps.size())),
                         __FILE__, __LINE__);
        rejectAllModals();
        return;
    }
    QWidget *w = QApplication::activeModalWidget();
    if (!w || w == m_last)
        return;
    // Not yet typeable: the window system activates the dialog and Qt places the focus a few
    // events after show().
    if (!w->isVisible() || QApplication::activeWindow() != w || !QApplication::focusWidget())
        return;
    m_last = w;
    if (m_next == m_steps.size() || QTest::currentTestFailed()) {
        m_unexpected << w->windowTitle();
        rejectAllModals();
        return;
    }
    m_steps[m_next++](w);
    if (QTest::currentTestFailed())
        rejectAllModals();
}

QWidget *focused() { return QApplication::focusWidget(); }

void press(int key, Qt::KeyboardModifiers modifiers)
{
    if (QWidget *w = focused())
        QTest::keyClick(w, Qt::Key(key), modifiers);
}

void type(const QString &text)
{
    if (QWidget *w = focused())
        QTest::keyClicks(w, text);
}

void typeOver(const QString &text)
{
    press(Qt::Key_A, Qt::ControlModifier);
    type(text);
}

} // namespace skiff::gui::test
