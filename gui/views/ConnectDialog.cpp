#include "views/ConnectDialog.h"

#include "models/ProfileStore.h"
#include "net/AdminAddress.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
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
    // Refusals are said inside the dialog, next to the field, rather than in a box on top of it.
    m_error = new QLabel;
    m_error->setWordWrap(true);
    // A red that stays readable on the dark palette as well (the dialog opens under either).
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    m_error->setStyleSheet(dark ? QStringLiteral("color: #ff8a80;") : QStringLiteral("color: #c62828;"));
    m_error->hide();
    // Names for tests and accessibility tools.
    m_name->setObjectName(QStringLiteral("profile"));
    m_addresses->setObjectName(QStringLiteral("addresses"));
    m_token->setObjectName(QStringLiteral("token"));
    m_missMs->setObjectName(QStringLiteral("watchdogMissMs"));
    m_rate->setObjectName(QStringLiteral("rate"));
    m_save->setObjectName(QStringLiteral("save"));
    m_error->setObjectName(QStringLiteral("error"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Profile:"), m_name);
    form->addRow(tr("&Admin addresses:"), m_addresses);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(tr("&Watchdog miss threshold:"), m_missMs);
    form->addRow(tr("&Update rate:"), m_rate);
    form->addRow(QString(), m_save);
    form->addRow(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Connect"));
    auto *removeButton = buttons->addButton(tr("&Delete profile"), QDialogButtonBox::ResetRole);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(removeButton, &QPushButton::clicked, this, &ConnectDialog::removeProfile);
    connect(m_name, &QComboBox::textActivated, this, &ConnectDialog::loadProfile);
    connect(m_addresses, &QLineEdit::textEdited, m_error, &QWidget::hide);

    // The list starts at the current profile when it is saved, else before the first one: the
    // arrow keys then reach every saved profile (Down from an unsaved name is the first).
    const QString name = current.name.isEmpty() ? QStringLiteral("local") : current.name;
    m_name->setCurrentIndex(m_name->findText(name));
    m_name->setEditText(name);
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

void ConnectDialog::removeProfile()
{
    // By name: the list's current item is not the typed name when that name is not saved.
    const QString name = m_name->currentText();
    m_store->remove(name);
    const int index = m_name->findText(name);
    if (index < 0)
        return;
    m_name->removeItem(index);
    // Removing the current item selects a neighbour whose fields are not loaded; the form keeps
    // what it shows, so saving again restores exactly the deleted profile.
    m_name->setCurrentIndex(-1);
    m_name->setEditText(name);
}

Profile ConnectDialog::profile() const
{
    Profile p;
    p.name = m_name->currentText().trimmed();
    p.addresses = parseAdminAddresses(m_addresses->text()).addresses;
    p.token = m_token->text();
    p.watchdogMissMs = m_missMs->value();
    p.rateHz = m_rate->value();
    return p;
}

void ConnectDialog::accept()
{
    // What the connection would refuse to dial is refused here, before it is saved.
    const AdminAddressList parsed = parseAdminAddresses(m_addresses->text());
    if (!parsed.error.isEmpty()) {
        m_error->setText(parsed.error);
        m_error->show();
        m_addresses->setFocus(Qt::OtherFocusReason);
        m_addresses->selectAll();
        return;
    }
    const Profile p = profile();
    if (m_save->isChecked() && !p.name.isEmpty()) {
        m_store->save(p);
        m_store->setLastUsed(p.name);
    }
    QDialog::accept();
}

} // namespace skiff::gui
