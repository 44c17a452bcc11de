#pragma once
// The mutating actions (transfer leadership, add/remove node, create/delete topic): ask for the
// arguments, confirm, send through the ClusterClient with the profile's token, and report the
// node's answer. Dialogs are modal but the event loop keeps running under them, so the network
// and the charts never stop.

#include "admin.pb.h"

#include <QObject>

#include <functional>

class QWidget;

namespace skiff::gui {

class ClusterClient;
class ClusterModel;

class ActionsController : public QObject {
    Q_OBJECT
public:
    ActionsController(ClusterClient *client, ClusterModel *model, QWidget *window);

    void transferLeader();
    void addNode();
    void removeNode();
    void createTopic();
    void deleteTopic();

    // Without dialogs (tests, and after the dialogs above have their answers). `afterDone` runs
    // once the node has answered Done (a refresh then shows the change, not the state before it).
    void send(admin::Request request, const QString &what, std::function<void()> afterDone = {});

signals:
    void finished(const QString &message, bool ok);

private:
    bool confirm(const QString &title, const QString &question);
    QStringList nodeChoices() const;

    ClusterClient *m_client;
    ClusterModel *m_model;
    QWidget *m_window;
};

} // namespace skiff::gui
