#include "TestCertificates.h"

#include <QFile>
#include <QProcess>

namespace skiff::gui::test {

bool TestCertificates::openssl(const QStringList &arguments)
{
    QProcess p;
    p.setWorkingDirectory(m_dir.path());
    p.start(QStringLiteral("openssl"), arguments);
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        m_error = QStringLiteral("openssl %1: %2 %3").arg(arguments.join(QLatin1Char(' ')), p.errorString(),
                                                          QString::fromLocal8Bit(p.readAllStandardError()));
        return false;
    }
    return true;
}

bool TestCertificates::makeCa(const QString &name)
{
    return openssl({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                    QStringLiteral("-nodes"), QStringLiteral("-keyout"), name + QStringLiteral(".key"), QStringLiteral("-out"),
                    name + QStringLiteral(".pem"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                    QStringLiteral("/CN=") + name});
}

bool TestCertificates::makeCert(const QString &name, const QString &ca, const QString &extension, const QString &passphrase)
{
    QStringList keyArguments{QStringLiteral("-nodes")};
    if (!passphrase.isEmpty())
        keyArguments = {QStringLiteral("-passout"), QStringLiteral("pass:") + passphrase};
    if (!openssl(QStringList{QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048")} + keyArguments +
                 QStringList{QStringLiteral("-keyout"), name + QStringLiteral(".key"), QStringLiteral("-out"), name + QStringLiteral(".csr"),
                             QStringLiteral("-subj"), QStringLiteral("/CN=") + name}))
        return false;
    QFile ext(file(name + QStringLiteral(".ext")));
    if (!ext.open(QIODevice::WriteOnly) || ext.write(extension.toUtf8() + '\n') < 0) {
        m_error = ext.errorString();
        return false;
    }
    ext.close();
    return openssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), name + QStringLiteral(".csr"),
                    QStringLiteral("-CA"), ca + QStringLiteral(".pem"), QStringLiteral("-CAkey"), ca + QStringLiteral(".key"),
                    QStringLiteral("-set_serial"), QString::number(++m_serial), QStringLiteral("-out"), name + QStringLiteral(".pem"),
                    QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-extfile"), name + QStringLiteral(".ext")});
}

bool TestCertificates::make()
{
    if (!m_dir.isValid()) {
        m_error = m_dir.errorString();
        return false;
    }
    const QString node = QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost");
    return makeCa(QStringLiteral("ca")) && makeCa(QStringLiteral("otherca")) && makeCert(QStringLiteral("node"), QStringLiteral("ca"), node) &&
           makeCert(QStringLiteral("elsewhere"), QStringLiteral("ca"), QStringLiteral("subjectAltName=DNS:elsewhere.invalid")) &&
           makeCert(QStringLiteral("dashboard"), QStringLiteral("ca"), QStringLiteral("extendedKeyUsage=clientAuth"), clientKeyPassphrase());
}

} // namespace skiff::gui::test
