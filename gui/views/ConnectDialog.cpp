#include "views/ConnectDialog.h"

#include "models/ProfileStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>

namespace skiff::gui {

ConnectDialog::ConnectDialog(ProfileStore *store, const Profile &current, QWidget *parent)
    : QDialog(parent), m_store(store)
{
    setWindowTitle(tr("Connect to a Skiff cluster"));
    m_name = new QComboBox;
    m_name->setEditable(true);
    for (const Profile &p : store->load())
        m_name->addItem(p.name);
    m_addresses = new QLineEdit;
    m_addresses->setPlaceholderText(QStringLiteral("127.0.0.1:9094,10.0.0.2:9094"));
    m_addresses->setToolTip(tr("Admin sockets (admin.listen) separated by commas; one is enough, the others are discovered"));
    m_token = new QLineEdit;
    m_token->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    m_token->setToolTip(tr("admin.token of the cluster, needed for leadership transfer, membership and topic changes"));
    m_missMs = new QSpinBox;
    m_missMs->setRange(1, 600000);
    m_missMs->setSuffix(QStringLiteral(" ms"));
    m_missMs->setToolTip(tr("The nodes' watchdog.miss.ms, drawn as the threshold line of the Ready-loop chart"));
    m_rate = new QSpinBox;
    m_rate->setRange(1, 20);
    m_rate->setSuffix(QStringLiteral(" Hz"));
    m_save = new QCheckBox(tr("&Save as profile"));
    m_save->setChecked(true);

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Profile:"), m_name);
    form->addRow(tr("&Admin addresses:"), m_addresses);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(tr("&Watchdog miss threshold:"), m_missMs);
    form->addRow(tr("&Update rate:"), m_rate);
    form->addRow(QString(), m_save);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    auto *removeButton = buttons->addButton(tr("&Delete profile"), QDialogButtonBox::ResetRole);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(removeButton, &QPushButton::clicked, this, [this] {
        m_store->remove(m_name->currentText());
        m_name->removeItem(m_name->currentIndex());
    });
    connect(m_name, &QComboBox::textActivated, this, &ConnectDialog::loadProfile);

    m_name->setEditText(current.name.isEmpty() ? QStringLiteral("local") : current.name);
    m_addresses->setText(current.addresses.join(QLatin1Char(',')));
    m_token->setText(current.token);
    m_missMs->setValue(current.watchdogMissMs);
    m_rate->setValue(current.rateHz);
}

void ConnectDialog::loadProfile(const QString &name)
{
    if (auto p = m_store->find(name)) {
        m_addresses->setText(p->addresses.join(QLatin1Char(',')));
        m_token->setText(p->token);
        m_missMs->setValue(p->watchdogMissMs);
        m_rate->setValue(p->rateHz);
    }
}

Profile ConnectDialog::profile() const
{
    Profile p;
    p.name = m_name->currentText().trimmed();
    for (const QString &a : m_addresses->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
        p.addresses << a.trimmed();
    p.token = m_token->text();
    p.watchdogMissMs = m_missMs->value();
    p.rateHz = m_rate->value();
    return p;
}

void ConnectDialog::accept()
{
    const Profile p = profile();
    if (p.addresses.isEmpty()) {
        QMessageBox::warning(this, windowTitle(), tr("Give at least one admin address (host:port)."));
        return;
    }
    if (m_save->isChecked() && !p.name.isEmpty()) {
        m_store->save(p);
        m_store->setLastUsed(p.name);
    }
    QDialog::accept();
}

} // namespace skiff::gui
