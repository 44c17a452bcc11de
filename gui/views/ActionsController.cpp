#include "views/ActionsController.h"
#include "common/TopicRules.h"

#include "models/ClusterModel.h"
#include "net/AdminAddress.h"
#include "net/ClusterClient.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QInputDialog>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QWidget>

#include <set>

namespace skiff::gui {

ActionsController::ActionsController(ClusterClient *client, ClusterModel *model, QWidget *window)
    : QObject(window), m_client(client), m_model(model), m_window(window)
{
}

bool ActionsController::confirm(const QString &title, const QString &question)
{
    return QMessageBox::question(m_window, title, question, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) ==
           QMessageBox::Yes;
}

QStringList ActionsController::nodeChoices() const
{
    std::set<uint64_t> ids;
    for (const NodeEntry &n : m_model->nodes())
        if (n.hasSnapshot) {
            for (uint64_t v : n.latest.voters())
                ids.insert(v);
            for (uint64_t l : n.latest.learners())
                ids.insert(l);
        }
    QStringList out;
    for (uint64_t id : ids)
        out << QString::number(id);
    return out;
}

void ActionsController::send(admin::Request request, const QString &what, std::function<void()> afterDone)
{
    QPointer<ActionsController> self(this);
    m_client->call(std::move(request), [self, what, afterDone = std::move(afterDone)](Result<admin::Response> r) {
        if (!self)
            return;
        if (!r.isOk()) {
            emit self->finished(QObject::tr("%1 failed: %2").arg(what, QString::fromStdString(r.status().message())), false);
            return;
        }
        if (r->error_code() != admin::ERROR_CODE_NONE) {
            emit self->finished(QObject::tr("%1 refused: %2").arg(what, QString::fromStdString(r->error_message())), false);
            return;
        }
        const QString detail = r->has_done() ? QString::fromStdString(r->done().detail()) : QObject::tr("done");
        emit self->finished(QStringLiteral("%1: %2").arg(what, detail), true);
        if (afterDone)
            afterDone();
    });
}

void ActionsController::transferLeader()
{
    QStringList choices;
    const uint64_t leader = m_model->leaderId();
    if (leader == 0) {
        emit finished(tr("transfer leadership: no leader is known, so there is none to move"), false);
        return;
    }
    for (const QString &id : nodeChoices())
        if (id.toULongLong() != leader)
            choices << id;
    if (choices.isEmpty()) {
        emit finished(tr("transfer leadership: no other voter known"), false);
        return;
    }
    bool ok = false;
    const QString to = QInputDialog::getItem(m_window, tr("Transfer leadership"), tr("New leader (node id):"), choices, 0, false, &ok);
    if (!ok)
        return;
    if (!confirm(tr("Transfer leadership"), tr("Move Raft leadership from node %1 to node %2?").arg(leader).arg(to)))
        return;
    admin::Request request;
    request.mutable_transfer_leader()->set_to(to.toULongLong());
    send(std::move(request), tr("transfer leadership to node %1").arg(to));
}

void ActionsController::addNode()
{
    QDialog dialog(m_window);
    dialog.setWindowTitle(tr("Add node"));
    auto *id = new QSpinBox;
    id->setRange(1, 1'000'000);
    auto *address = new QLineEdit;
    address->setPlaceholderText(QStringLiteral("10.0.0.4:9093"));
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Node &id:"), id);
    form->addRow(tr("&Raft address:"), address);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    // The leader dials this address: OK only for one it could dial, so Enter on a typo keeps
    // the dialog up instead of closing it as if the node had been asked.
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    const auto check = [ok, address] {
        QString host;
        quint16 port = 0;
        ok->setEnabled(splitAdminAddress(address->text().trimmed(), host, port));
    };
    connect(address, &QLineEdit::textChanged, &dialog, check);
    check();
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (!confirm(tr("Add node"), tr("Add node %1 at %2 as a learner? The leader promotes it once it has caught up.")
                                     .arg(id->value()).arg(address->text().trimmed())))
        return;
    admin::Request request;
    request.mutable_add_node()->set_id(uint64_t(id->value()));
    request.mutable_add_node()->set_raft_address(address->text().trimmed().toStdString());
    send(std::move(request), tr("add node %1").arg(id->value()));
}

void ActionsController::removeNode()
{
    const QStringList choices = nodeChoices();
    if (choices.isEmpty()) {
        emit finished(tr("remove node: no member known"), false);
        return;
    }
    bool ok = false;
    const QString id = QInputDialog::getItem(m_window, tr("Remove node"), tr("Node to remove:"), choices, 0, false, &ok);
    if (!ok)
        return;
    if (!confirm(tr("Remove node"), tr("Remove node %1 from the cluster configuration? It stops being a voter.").arg(id)))
        return;
    admin::Request request;
    request.mutable_remove_node()->set_id(id.toULongLong());
    send(std::move(request), tr("remove node %1").arg(id));
}

void ActionsController::createTopic()
{
    QDialog dialog(m_window);
    dialog.setWindowTitle(tr("Create topic"));
    auto *name = new QLineEdit;
    auto *partitions = new QSpinBox;
    partitions->setRange(0, kMaxPartitionsPerTopic);
    partitions->setSpecialValueText(tr("node default"));
    partitions->setValue(1);
    auto *rf = new QSpinBox;
    rf->setRange(0, 16);
    rf->setSpecialValueText(tr("node default"));
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("&Name:"), name);
    form->addRow(tr("&Partitions:"), partitions);
    form->addRow(tr("&Replication factor:"), rf);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    QPushButton *ok = buttons->button(QDialogButtonBox::Ok);
    const auto check = [ok, name] { ok->setEnabled(!name->text().trimmed().isEmpty()); };
    connect(name, &QLineEdit::textChanged, &dialog, check);
    check();
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString topic = name->text().trimmed();
    if (!confirm(tr("Create topic"), tr("Create topic '%1' with %2 partition(s)?").arg(topic, partitions->text())))
        return;
    admin::Request request;
    auto *c = request.mutable_create_topic();
    c->set_name(topic.toStdString());
    c->set_partitions(partitions->value());
    c->set_replication_factor(rf->value());
    send(std::move(request), tr("create topic %1").arg(topic), [client = m_client] { client->refreshPartitions(); });
}

void ActionsController::deleteTopic()
{
    QStringList topics;
    for (const admin::Partition &p : m_model->partitions().partitions()) {
        const QString t = QString::fromStdString(p.topic());
        if (!topics.contains(t))
            topics << t;
    }
    if (topics.isEmpty()) {
        emit finished(tr("delete topic: no topic known"), false);
        return;
    }
    bool ok = false;
    const QString topic = QInputDialog::getItem(m_window, tr("Delete topic"), tr("Topic:"), topics, 0, false, &ok);
    if (!ok)
        return;
    if (!confirm(tr("Delete topic"), tr("Delete topic '%1' and all its records? This cannot be undone.").arg(topic)))
        return;
    admin::Request request;
    request.mutable_delete_topic()->set_name(topic.toStdString());
    send(std::move(request), tr("delete topic %1").arg(topic), [client = m_client] { client->refreshPartitions(); });
}

} // namespace skiff::gui
