#pragma once
// A user at the keyboard in front of modal dialogs. The code under test blocks in exec(); a timer
// keeps polling QApplication::activeModalWidget() and runs each step once on the next dialog that
// is up (shown, active, focus placed), so the steps see the dialog as the user does and type into
// whatever has the focus. A dialog nobody scripted, a failed step or a dialog that never comes
// is rejected, so a broken test fails instead of hanging in exec() until the ctest timeout.
// There is one user: a new driver retires the previous one, which stops watching.

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>

#include <functional>
#include <vector>

class QWidget;

namespace skiff::gui::test {

class ModalDriver : public QObject {
    Q_OBJECT
public:
    using Step = std::function<void(QWidget *dialog)>;

    explicit ModalDriver(std::vector<Step> steps, int timeoutMs = 15000, QObject *parent = nullptr);
    ~ModalDriver() override;

    // Every step ran, and no other dialog came up.
    bool finished() const { return m_next == m_steps.size() && m_unexpected.isEmpty(); }
    size_t stepsRun() const { return m_next; }
    // Titles of dialogs that came up with no step left for them (they were rejected).
    const QStringList &unexpected() const { return m_unexpected; }

    static void rejectAllModals();

private:
    void poll();

    static ModalDriver *s_current;

    std::vector<Step> m_steps;
    size_t m_next = 0;
    QPointer<QWidget> m_last;
    QStringList m_unexpected;
    QTimer m_timer;
    QElapsedTimer m_age;
    int m_timeoutMs;
};

// What the user's fingers do, to the widget that has the keyboard focus.
QWidget *focused();
void press(int key, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
void type(const QString &text);
// Select all (Ctrl+A) and type over it.
void typeOver(const QString &text);

} // namespace skiff::gui::test
