#include "views/ConnectDialog.h"

#include "models/ProfileStore.h"
#include "net/AdminAddress.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QPointer>
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
    m_tls = new QCheckBox(tr("Use T&LS"));
    m_tls->setToolTip(tr("The nodes' admin sockets speak TLS (admin.ssl.enable)"));
    m_caFile = new QLineEdit;
    m_caFile->setToolTip(tr("PEM file of the CA that signed the nodes' certificates (empty: the system's CAs)"));
    m_certFile = new QLineEdit;
    m_certFile->setToolTip(tr("PEM client certificate, for nodes with admin.ssl.client.auth (empty: none)"));
    m_keyFile = new QLineEdit;
    m_keyFile->setToolTip(tr("PEM private key of the client certificate"));
    m_keyPassphrase = new QLineEdit;
    m_keyPassphrase->setEchoMode(QLineEdit::Password);
    m_keyPassphrase->setToolTip(tr("Passphrase of an encrypted key; kept in the desktop keyring, not the settings file"));
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
    m_tls->setObjectName(QStringLiteral("tls"));
    m_caFile->setObjectName(QStringLiteral("caFile"));
    m_certFile->setObjectName(QStringLiteral("certFile"));
    m_keyFile->setObjectName(QStringLiteral("keyFile"));
    m_keyPassphrase->setObjectName(QStringLiteral("keyPassphrase"));
    m_save->setObjectName(QStringLiteral("save"));
    m_error->setObjectName(QStringLiteral("error"));

    auto *form = new QFormLayout(this);
    form->addRow(tr("&Profile:"), m_name);
    form->addRow(tr("&Admin addresses:"), m_addresses);
    form->addRow(tr("&Token:"), m_token);
    form->addRow(tr("&Watchdog miss threshold:"), m_missMs);
    form->addRow(tr("&Update rate:"), m_rate);
    form->addRow(QString(), m_tls);
    QWidget *ca = withBrowseButton(m_caFile, tr("CA certificates"), tr("PEM files (*.pem *.crt);;All files (*)"));
    QWidget *cert = withBrowseButton(m_certFile, tr("Client certificate"), tr("PEM files (*.pem *.crt);;All files (*)"));
    QWidget *key = withBrowseButton(m_keyFile, tr("Client key"), tr("PEM files (*.pem *.key);;All files (*)"));
    form->addRow(tr("CA &bundle:"), ca);
    form->addRow(tr("Client c&ertificate:"), cert);
    form->addRow(tr("Client &key:"), key);
    form->addRow(tr("Key passp&hrase:"), m_keyPassphrase);
    m_tlsFields = {ca, cert, key, m_keyPassphrase};
    // The Alt+letter of a file's label goes to its line edit: a label skips a buddy that takes no
    // focus, as the row holding the edit and its Browse button does not.
    const std::pair<QWidget *, QLineEdit *> buddies[] = {{ca, m_caFile}, {cert, m_certFile}, {key, m_keyFile}, {m_keyPassphrase, m_keyPassphrase}};
    for (const auto &[field, edit] : buddies)
        if (auto *label = qobject_cast<QLabel *>(form->labelForField(field))) {
            label->setBuddy(edit);
            m_tlsFields << label;
        }
    connect(m_tls, &QCheckBox::toggled, this, &ConnectDialog::showTlsEnabled);
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
    for (QLineEdit *edit : {m_addresses, m_caFile, m_certFile, m_keyFile, m_keyPassphrase})
        connect(edit, &QLineEdit::textEdited, m_error, &QWidget::hide);

    // The list starts at the current profile when it is saved, else before the first one: the
    // arrow keys then reach every saved profile (Down from an unsaved name is the first).
    const QString name = current.name.isEmpty() ? QStringLiteral("local") : current.name;
    m_name->setCurrentIndex(m_name->findText(name));
    m_name->setEditText(name);
    showProfile(current);
}

QWidget *ConnectDialog::withBrowseButton(QLineEdit *edit, const QString &title, const QString &filter)
{
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *browse = new QPushButton(tr("Browse…"));
    browse->setObjectName(edit->objectName() + QStringLiteral("Browse"));
    layout->addWidget(edit);
    layout->addWidget(browse);
    row->setFocusProxy(edit);
    connect(browse, &QPushButton::clicked, this, [this, edit, title, filter] {
        const QString path = QFileDialog::getOpenFileName(this, title, edit->text(), filter);
        if (!path.isEmpty())
            edit->setText(path);
    });
    return row;
}

void ConnectDialog::showTlsEnabled(bool enabled)
{
    for (QWidget *w : m_tlsFields)
        w->setEnabled(enabled);
}

void ConnectDialog::showProfile(const Profile &p)
{
    m_addresses->setText(p.addresses.join(QLatin1Char(',')));
    m_token->setText(p.token);
    m_missMs->setValue(p.watchdogMissMs);
    m_rate->setValue(p.rateHz);
    m_tls->setChecked(p.tls.enabled);
    m_caFile->setText(p.tls.caFile);
    m_certFile->setText(p.tls.certFile);
    m_keyFile->setText(p.tls.keyFile);
    m_keyPassphrase->setText(p.tls.keyPassphrase);
    showTlsEnabled(p.tls.enabled);
}

void ConnectDialog::loadProfile(const QString &name)
{
    auto p = m_store->find(name);
    if (!p)
        return;
    showProfile(*p);
    // The secrets come from the keyring later; a field typed into meanwhile keeps what was typed.
    const QPointer<ConnectDialog> self(this);
    m_store->readSecrets(*p, [self, shown = *p](const Profile &withSecrets) {
        if (!self || self->m_name->currentText() != shown.name)
            return;
        if (self->m_token->text() == shown.token)
            self->m_token->setText(withSecrets.token);
        if (self->m_keyPassphrase->text() == shown.tls.keyPassphrase)
            self->m_keyPassphrase->setText(withSecrets.tls.keyPassphrase);
    });
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
    p.tls.enabled = m_tls->isChecked();
    p.tls.caFile = m_caFile->text().trimmed();
    p.tls.certFile = m_certFile->text().trimmed();
    p.tls.keyFile = m_keyFile->text().trimmed();
    p.tls.keyPassphrase = m_keyPassphrase->text();
    return p;
}

void ConnectDialog::refuse(const QString &why, QWidget *fix)
{
    m_error->setText(why);
    m_error->show();
    fix->setFocus(Qt::OtherFocusReason);
    if (auto *edit = qobject_cast<QLineEdit *>(fix))
        edit->selectAll();
}

void ConnectDialog::accept()
{
    // What the connection would refuse to dial is refused here, before it is saved.
    const AdminAddressList parsed = parseAdminAddresses(m_addresses->text());
    if (!parsed.error.isEmpty()) {
        refuse(parsed.error, m_addresses);
        return;
    }
    const Profile p = profile();
    if (p.tls.enabled) {
        if (auto config = adminSslConfiguration(p.tls); !config.isOk()) {
            const QString why = QString::fromStdString(config.status().message());
            QLineEdit *fix = why.contains(p.tls.caFile) && !p.tls.caFile.isEmpty() ? m_caFile
                             : why.contains(QStringLiteral("passphrase"))           ? m_keyPassphrase
                             : why.startsWith(QStringLiteral("key file"))           ? m_keyFile
                                                                                    : m_certFile;
            refuse(why, fix);
            return;
        }
    }
    if (m_save->isChecked() && !p.name.isEmpty()) {
        m_store->save(p);
        m_store->setLastUsed(p.name);
    }
    QDialog::accept();
}

} // namespace skiff::gui
