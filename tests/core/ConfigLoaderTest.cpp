#include "core/ConfigKeys.h"
#include "core/ConfigLoader.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace skiff::core;

namespace {

// Flags that keep a test away from the real default ports and data dir.
std::vector<std::string> isolated(const QTemporaryDir &dir, std::vector<std::string> extra = {})
{
    std::vector<std::string> args = {"--data-dir", (dir.path() + "/data").toStdString()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

QString writeFile(const QTemporaryDir &dir, const char *text)
{
    const QString path = dir.path() + "/skiffd.toml";
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}

// Loading with these flags gives exactly one error, which contains `expected`.
void expectOneError(const QStringList &args, const QString &expected)
{
    QTemporaryDir dir;
    std::vector<std::string> flags;
    for (const QString &a : args)
        flags.push_back(a.toStdString());
    auto out = ConfigLoader::load(isolated(dir, flags));
    QCOMPARE(out.errors.size(), size_t(1));
    QVERIFY2(QString::fromStdString(out.errors[0]).contains(expected), out.errors[0].c_str());
}

QString joined(const std::vector<std::string> &errors)
{
    QStringList lines;
    for (const auto &e : errors)
        lines << QString::fromStdString(e);
    return lines.join('\n');
}

} // namespace

class ConfigLoaderTest : public QObject {
    Q_OBJECT
private slots:
    void defaultsAreASingleLocalNode()
    {
        QTemporaryDir dir;
        auto out = ConfigLoader::load(isolated(dir));
        QVERIFY2(out.errors.empty(), qPrintable(joined(out.errors)));
        QCOMPARE(out.config.nodeId, 1u);
        QCOMPARE(out.config.kafkaListeners.size(), size_t(1));
        QCOMPARE(out.config.interBrokerListener().name, std::string("PLAINTEXT"));
        QCOMPARE(out.config.interBrokerListener().bind.toString(), std::string("127.0.0.1:9092"));
        QCOMPARE(out.config.interBrokerListener().advertised, out.config.interBrokerListener().bind);
        QVERIFY(out.config.interBrokerListener().protocol == SecurityProtocol::Plaintext);
        QVERIFY(out.config.autoCreateTopics);
        QCOMPARE(out.config.socketRequestMaxBytes, int64_t(104857600));
        QCOMPARE(int(out.config.flushMode), int(FlushMode::Fsync));
    }

    void fileThenFlagsOverride()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "node.id = 3\n[kafka]\nlisten = \"127.0.0.1:19092\"\n"
                                            "[log]\nretention.ms = 1000\n[[peers]]\nid = 3\naddress = \"127.0.0.1:9093\"\n");
        auto out = ConfigLoader::load(isolated(dir, {"--config", file.toStdString(), "--kafka-listen=127.0.0.1:29092",
                                                     "--auto-create-topics-enable", "false"}));
        QVERIFY2(out.errors.empty(), qPrintable(joined(out.errors)));
        QCOMPARE(out.config.nodeId, 3u);
        QCOMPARE(out.config.interBrokerListener().bind.port, uint16_t(29092));
        QCOMPARE(out.config.logRetentionMs, int64_t(1000));
        QVERIFY(!out.config.autoCreateTopics);
        QCOMPARE(out.config.peers.size(), size_t(1));
        QCOMPARE(out.config.peers[0].raftAddress.port, uint16_t(9093));
    }

    void unknownKeyIsNamedWithItsLineAndASuggestion()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "node.id = 1\nkafka.lisen = \"127.0.0.1:1\"\n");
        auto out = ConfigLoader::load(isolated(dir, {"--config", file.toStdString()}));
        QCOMPARE(out.errors.size(), size_t(1));
        const QString e = QString::fromStdString(out.errors[0]);
        QVERIFY2(e.contains("skiffd.toml:2") && e.contains("unknown key 'kafka.lisen'") && e.contains("'kafka.listen'"), qPrintable(e));
    }

    void unknownFlag()
    {
        QTemporaryDir dir;
        auto out = ConfigLoader::load(isolated(dir, {"--kafka-lisen", "x"}));
        QVERIFY(!out.errors.empty());
        QVERIFY(QString::fromStdString(out.errors[0]).contains("unknown argument '--kafka-lisen'"));
    }

    void badAddresses_data()
    {
        QTest::addColumn<QString>("flag");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no port") << "--kafka-listen" << "localhost" << "expected host:port";
        QTest::newRow("port zero") << "--raft-listen" << "127.0.0.1:0" << "port '0' is not a number from 1 to 65535";
        QTest::newRow("port too big") << "--admin-listen" << "127.0.0.1:70000" << "from 1 to 65535";
        QTest::newRow("bad host") << "--http-listen" << "exa mple:80" << "is not a host name";
        QTest::newRow("bad ipv6") << "--kafka-listen" << "[zz]:9092" << "not an IPv6 literal";
    }
    void badAddresses()
    {
        QFETCH(QString, flag);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        auto out = ConfigLoader::load(isolated(dir, {flag.toStdString(), value.toStdString()}));
        QCOMPARE(out.errors.size(), size_t(1));
        QVERIFY2(QString::fromStdString(out.errors[0]).contains(expected), out.errors[0].c_str());
    }

    void portUsedTwice()
    {
        QTemporaryDir dir;
        auto out = ConfigLoader::load(isolated(dir, {"--admin-listen", "127.0.0.1:9092"}));
        QCOMPARE(out.errors.size(), size_t(1));
        QCOMPARE(QString::fromStdString(out.errors[0]),
                 QString("kafka.listen and admin.listen both use port 9092; give each service its own port"));
    }

    void wildcardAdvertiseRefused()
    {
        QTemporaryDir dir;
        auto explicitWildcard = ConfigLoader::load(isolated(dir, {"--kafka-advertise", "0.0.0.0:9092"}));
        QCOMPARE(explicitWildcard.errors.size(), size_t(1));
        QVERIFY(QString::fromStdString(explicitWildcard.errors[0]).startsWith("kafka.advertise: 0.0.0.0 cannot be given to clients"));
        auto implicitWildcard = ConfigLoader::load(isolated(dir, {"--kafka-listen", "0.0.0.0:9092"}));
        QCOMPARE(implicitWildcard.errors.size(), size_t(1));
        QVERIFY(QString::fromStdString(implicitWildcard.errors[0]).contains("set kafka.advertise"));
        auto ok = ConfigLoader::load(isolated(dir, {"--kafka-listen", "0.0.0.0:9092", "--kafka-advertise", "10.1.2.3:9092"}));
        QVERIFY2(ok.errors.empty(), qPrintable(joined(ok.errors)));
    }

    void namedListenersWithTheirProtocolsAndAdvertisedAddresses()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "listeners = \"CLIENT://0.0.0.0:19092, INTERNAL://127.0.0.1:19192,SSL://127.0.0.1:19093\"\n"
                                            "advertised.listeners = \"CLIENT://broker1.example.com:9092\"\n"
                                            "listener.security.protocol.map = \"CLIENT:SSL,INTERNAL:PLAINTEXT\"\n"
                                            "inter.broker.listener.name = \"INTERNAL\"\n"
                                            "ssl.certificate.location = \"/etc/skiff/node.pem\"\n"
                                            "ssl.key.location = \"/etc/skiff/node.key\"\n"
                                            "ssl.ca.location = \"/etc/skiff/ca.pem\"\n"
                                            "ssl.client.auth = \"required\"\n");
        auto out = ConfigLoader::load(isolated(dir, {"--config", file.toStdString()}));
        QVERIFY2(out.errors.empty(), qPrintable(joined(out.errors)));
        const auto &l = out.config.kafkaListeners;
        QCOMPARE(l.size(), size_t(3));
        // The inter-broker listener comes first; the others keep their order.
        QCOMPARE(l[0].name, std::string("INTERNAL"));
        QVERIFY(l[0].protocol == SecurityProtocol::Plaintext);
        QCOMPARE(l[0].advertised.toString(), std::string("127.0.0.1:19192"));
        QCOMPARE(l[1].name, std::string("CLIENT"));
        QVERIFY(l[1].protocol == SecurityProtocol::Ssl);
        QCOMPARE(l[1].bind.toString(), std::string("0.0.0.0:19092"));
        QCOMPARE(l[1].advertised.toString(), std::string("broker1.example.com:9092"));
        QCOMPARE(l[2].name, std::string("SSL"));
        QVERIFY(l[2].protocol == SecurityProtocol::Ssl);   // a listener named after its protocol needs no map entry
        QCOMPARE(out.config.tls.certificate, std::string("/etc/skiff/node.pem"));
        QVERIFY(out.config.tls.clientAuth == skiff::net::ClientAuth::Required);
        QVERIFY(!out.config.tls.tls13Only);
    }

    void listenerMistakesAreOneLineEach_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        QTest::newRow("both forms") << QStringList{"--listeners", "PLAINTEXT://127.0.0.1:19092", "--kafka-listen", "127.0.0.1:19093"}
                                    << "kafka.listen and listeners are both set";
        QTest::newRow("no scheme") << QStringList{"--listeners", "127.0.0.1:19092"} << "is not NAME://host:port";
        QTest::newRow("lower case") << QStringList{"--listeners", "client://127.0.0.1:19092"} << "is not NAME://host:port";
        QTest::newRow("twice") << QStringList{"--listeners", "A://127.0.0.1:19092,A://127.0.0.1:19093", "--listener-security-protocol-map", "A:PLAINTEXT"}
                               << "listener A is listed twice";
        QTest::newRow("unmapped") << QStringList{"--listeners", "CLIENT://127.0.0.1:19092"}
                                  << "listener.security.protocol.map: no entry for listener CLIENT";
        QTest::newRow("same port") << QStringList{"--listeners", "PLAINTEXT://127.0.0.1:19092,SSL://127.0.0.2:19092",
                                                  "--ssl-certificate-location", "c", "--ssl-key-location", "k"}
                                   << "listener PLAINTEXT and listener SSL both use port 19092";
        QTest::newRow("wildcard unadvertised") << QStringList{"--listeners", "PLAINTEXT://0.0.0.0:19092"}
                                               << "advertise PLAINTEXT://<address clients use>:19092";
        QTest::newRow("advertised unknown") << QStringList{"--listeners", "PLAINTEXT://127.0.0.1:19092", "--advertised-listeners", "SSL://a:1"}
                                            << "advertised.listeners: SSL is not one of listeners";
        QTest::newRow("inter-broker unknown") << QStringList{"--listeners", "PLAINTEXT://127.0.0.1:19092", "--inter-broker-listener-name", "X"}
                                              << "inter.broker.listener.name: X is not one of listeners";
        QTest::newRow("inter-broker tls") << QStringList{"--listeners", "SSL://127.0.0.1:19093,PLAINTEXT://127.0.0.1:19092",
                                                         "--ssl-certificate-location", "c", "--ssl-key-location", "k"}
                                          << "set ssl.ca.location to the CA that leaders' certificates chain to";
        QTest::newRow("sasl unknown mechanism") << QStringList{"--listeners", "PLAINTEXT://127.0.0.1:19092,SASL_PLAINTEXT://127.0.0.1:19093",
                                                              "--sasl-enabled-mechanisms", "SCRAM-SHA-512,GSSAPI"}
                                                << "sasl.enabled.mechanisms: 'GSSAPI' is not a mechanism skiffd serves";
        QTest::newRow("sasl lower case") << QStringList{"--sasl-enabled-mechanisms", "plain"}
                                         << "'plain' is not a mechanism skiffd serves (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512; names are case-sensitive)";
        QTest::newRow("sasl no mechanism") << QStringList{"--listeners", "PLAINTEXT://127.0.0.1:19092,SASL_PLAINTEXT://127.0.0.1:19093",
                                                         "--sasl-enabled-mechanisms", " , "}
                                           << "sasl.enabled.mechanisms: a SASL listener needs at least one mechanism";
        QTest::newRow("sasl inter-broker") << QStringList{"--listeners", "SASL_PLAINTEXT://127.0.0.1:19093,PLAINTEXT://127.0.0.1:19092"}
                                           << "inter.broker.listener.name: followers fetch from SASL_PLAINTEXT (SASL_PLAINTEXT) and must log in; set inter.broker.sasl.username and inter.broker.sasl.password";
        const QStringList saslInterBroker{"--listeners", "SASL_SSL://127.0.0.1:19093,PLAINTEXT://127.0.0.1:19092",
                                          "--ssl-certificate-location", "c", "--ssl-key-location", "k", "--ssl-ca-location", "ca",
                                          "--inter-broker-sasl-username", "broker", "--inter-broker-sasl-password", "pw"};
        QTest::newRow("sasl inter-broker mechanism not enabled") << saslInterBroker + QStringList{"--sasl-enabled-mechanisms", "SCRAM-SHA-256"}
                                                                  << "sasl.mechanism.inter.broker.protocol: SCRAM-SHA-512 is not in sasl.enabled.mechanisms (SCRAM-SHA-256), so leaders would refuse it";
        QTest::newRow("sasl inter-broker unknown mechanism") << saslInterBroker + QStringList{"--sasl-mechanism-inter-broker-protocol", "GSSAPI"}
                                                              << "sasl.mechanism.inter.broker.protocol: 'GSSAPI' is not a mechanism skiffd has";
        QTest::newRow("sasl inter-broker no password") << QStringList{"--listeners", "SASL_SSL://127.0.0.1:19093",
                                                                      "--ssl-certificate-location", "c", "--ssl-key-location", "k", "--ssl-ca-location", "ca",
                                                                      "--inter-broker-sasl-username", "broker"}
                                                       << "set inter.broker.sasl.username and inter.broker.sasl.password";
        QTest::newRow("ssl without files") << QStringList{"--listeners", "PLAINTEXT://127.0.0.1:19092,SSL://127.0.0.1:19093"}
                                           << "an SSL listener needs ssl.certificate.location and ssl.key.location";
        QTest::newRow("client auth") << QStringList{"--ssl-client-auth", "maybe"} << "ssl.client.auth must be none, requested or required";
        QTest::newRow("old tls") << QStringList{"--ssl-enabled-protocols", "TLSv1.1,TLSv1.2"} << "ssl.enabled.protocols must be";
        QTest::newRow("map without listeners") << QStringList{"--listener-security-protocol-map", "A:SSL"}
                                               << "listener.security.protocol.map is set but listeners is not";
    }
    void listenerMistakesAreOneLineEach()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        expectOneError(args, expected);
    }

    void listenerTlsOverridesWinOverTheNodeWideKeys()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "listeners = \"INTERNAL://127.0.0.1:19192,CLIENT://127.0.0.1:19092,SSL://127.0.0.1:19093\"\n"
                                            "listener.security.protocol.map = \"CLIENT:SASL_SSL,INTERNAL:SSL,SSL:SSL\"\n"
                                            "ssl.certificate.location = \"/etc/skiff/node.pem\"\n"
                                            "ssl.key.location = \"/etc/skiff/node.key\"\n"
                                            "ssl.ca.location = \"/etc/skiff/ca.pem\"\n"
                                            "ssl.client.auth = \"required\"\n"
                                            "[listener.name.client]\n"
                                            "ssl.certificate.location = \"/etc/skiff/public.pem\"\n"
                                            "ssl.key.location = \"/etc/skiff/public.key\"\n"
                                            "ssl.enabled.protocols = \"TLSv1.3\"\n");
        auto out = ConfigLoader::load(isolated(dir, {"--config", file.toStdString(),
                                                     "--listener-name-client-ssl-key-password", "pw",
                                                     "--listener-name-client-ssl-cipher-suites", "ECDHE-RSA-AES128-GCM-SHA256"}));
        QVERIFY2(out.errors.empty(), qPrintable(joined(out.errors)));
        const NodeConfig &c = out.config;
        QCOMPARE(c.listenerTls.size(), size_t(1));   // only CLIENT has keys of its own
        const skiff::net::TlsFiles &client = c.tlsFor("CLIENT");
        QCOMPARE(client.certificate, std::string("/etc/skiff/public.pem"));
        QCOMPARE(client.key, std::string("/etc/skiff/public.key"));
        QCOMPARE(client.keyPassword, std::string("pw"));
        QCOMPARE(client.cipherSuites, std::string("ECDHE-RSA-AES128-GCM-SHA256"));
        QVERIFY(client.tls13Only);
        QCOMPARE(client.ca, std::string("/etc/skiff/ca.pem"));   // not overridden: the node-wide one
        QVERIFY(client.clientAuth == skiff::net::ClientAuth::Required);
        // The others keep the node-wide files.
        QVERIFY(c.tlsFor("INTERNAL") == c.tls);
        QVERIFY(c.tlsFor("SSL") == c.tls);
        QCOMPARE(c.tls.certificate, std::string("/etc/skiff/node.pem"));
        QVERIFY(!c.tls.tls13Only);
        QVERIFY(c.tls.keyPassword.empty());
    }

    void listenerTlsMistakesAreOneLineEach_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QStringList ssl{"--listeners", "PLAINTEXT://127.0.0.1:19092,CLIENT://127.0.0.1:19093",
                              "--listener-security-protocol-map", "PLAINTEXT:PLAINTEXT,CLIENT:SSL",
                              "--ssl-certificate-location", "c", "--ssl-key-location", "k"};
        QTest::newRow("unknown listener") << ssl + QStringList{"--listener-name-clients-ssl-key-location", "k2"}
                                          << "listener.name.clients.ssl.key.location: there is no listener CLIENTS (listeners: PLAINTEXT, CLIENT)";
        QTest::newRow("plaintext listener") << ssl + QStringList{"--listener-name-plaintext-ssl-certificate-location", "c2"}
                                            << "listener.name.plaintext.ssl.certificate.location: listener PLAINTEXT is PLAINTEXT, which uses no TLS";
        QTest::newRow("upper case") << ssl + QStringList{"--listener-name-CLIENT-ssl-key-location", "k2"}
                                    << "write the listener name in lower case, as Kafka does (listener.name.client.ssl.key.location)";
        QTest::newRow("client auth without a CA") << ssl + QStringList{"--listener-name-client-ssl-client-auth", "required"}
                                                  << "listener.name.client.ssl.client.auth is required for listener CLIENT but no CA is set to check client certificates against: set listener.name.client.ssl.ca.location or ssl.ca.location";
        QTest::newRow("node-wide client auth without a CA") << ssl + QStringList{"--ssl-client-auth", "requested"}
                                                            << "ssl.client.auth is requested for listener CLIENT but no CA is set";
        QTest::newRow("bad override value") << ssl + QStringList{"--listener-name-client-ssl-client-auth", "maybe"}
                                            << "listener.name.client.ssl.client.auth: ssl.client.auth must be none, requested or required";
        QTest::newRow("bad override protocols") << ssl + QStringList{"--listener-name-client-ssl-enabled-protocols", "TLSv1.1"}
                                                << "listener.name.client.ssl.enabled.protocols must be TLSv1.2,TLSv1.3 or TLSv1.3";
        QTest::newRow("override without files") << QStringList{"--listeners", "PLAINTEXT://127.0.0.1:19092,CLIENT://127.0.0.1:19093",
                                                               "--listener-security-protocol-map", "PLAINTEXT:PLAINTEXT,CLIENT:SSL",
                                                               "--listener-name-client-ssl-key-location", "k"}
                                                << "listener CLIENT needs a certificate and its key: set listener.name.client.ssl.certificate.location";
    }
    void listenerTlsMistakesAreOneLineEach()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        expectOneError(args, expected);
    }

    void adminAccessDefaultsAndChoices()
    {
        QTemporaryDir dir;
        // Unset admin.mutation.auth keeps the old rule: the token when there is one, open otherwise.
        auto open = ConfigLoader::load(isolated(dir));
        QVERIFY2(open.errors.empty(), qPrintable(joined(open.errors)));
        QVERIFY(!open.config.adminAccess.tls);
        QVERIFY(open.config.adminAccess.mutationAuth == MutationAuth::Open);
        auto token = ConfigLoader::load(isolated(dir, {"--admin-token", "t"}));
        QVERIFY2(token.errors.empty(), qPrintable(joined(token.errors)));
        QVERIFY(token.config.adminAccess.mutationAuth == MutationAuth::Token);

        auto either = ConfigLoader::load(isolated(dir, {"--admin-token", "t", "--admin-ssl-enable", "true",
                                                        "--ssl-certificate-location", "c", "--ssl-key-location", "k",
                                                        "--ssl-ca-location", "ca", "--admin-ssl-client-auth", "requested",
                                                        "--admin-mutation-auth", "token-or-certificate",
                                                        "--admin-ssl-principals", "CN=admin; User:CN=ops,O=Example"}));
        QVERIFY2(either.errors.empty(), qPrintable(joined(either.errors)));
        const AdminAccess &a = either.config.adminAccess;
        QVERIFY(a.tls);
        QVERIFY(a.clientAuth == skiff::net::ClientAuth::Requested);
        QVERIFY(a.mutationAuth == MutationAuth::TokenOrCertificate);
        QCOMPARE(a.principals, (std::vector<std::string>{"User:CN=admin", "User:CN=ops,O=Example"}));
        // The Kafka listeners' ssl.client.auth is their own.
        QVERIFY(either.config.tls.clientAuth == skiff::net::ClientAuth::None);
    }

    void adminAccessMistakesAreOneLineEach_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QStringList files{"--ssl-certificate-location", "c", "--ssl-key-location", "k", "--ssl-ca-location", "ca"};
        const QStringList tls = QStringList{"--admin-ssl-enable", "true"} + files;
        QTest::newRow("tls without files") << QStringList{"--admin-ssl-enable", "true"}
                                           << "admin.ssl.enable: the admin socket needs ssl.certificate.location and ssl.key.location";
        QTest::newRow("client auth word") << tls + QStringList{"--admin-ssl-client-auth", "maybe"}
                                          << "admin.ssl.client.auth must be none, requested or required, got 'maybe'";
        QTest::newRow("client auth without tls") << files + QStringList{"--admin-ssl-client-auth", "required"}
                                                 << "admin.ssl.client.auth is required but admin.ssl.enable is false";
        QTest::newRow("client auth without ca")
            << QStringList{"--admin-ssl-enable", "true", "--ssl-certificate-location", "c", "--ssl-key-location", "k",
                           "--admin-ssl-client-auth", "requested"}
            << "admin.ssl.client.auth is requested but ssl.ca.location is not set";
        QTest::newRow("mutation auth word") << QStringList{"--admin-mutation-auth", "password"}
                                            << "admin.mutation.auth must be token, certificate, token-or-certificate or token-and-certificate, got 'password'";
        QTest::newRow("certificate without tls") << files + QStringList{"--admin-mutation-auth", "certificate"}
                                                 << "admin.mutation.auth = certificate needs admin.ssl.enable = true";
        QTest::newRow("certificate without client auth") << tls + QStringList{"--admin-mutation-auth", "certificate"}
                                                         << "admin.mutation.auth = certificate needs admin.ssl.client.auth = requested or required";
        QTest::newRow("token without token") << QStringList{"--admin-mutation-auth", "token"}
                                             << "admin.mutation.auth = token needs admin.token";
        QTest::newRow("both without token")
            << tls + QStringList{"--admin-ssl-client-auth", "required", "--admin-mutation-auth", "token-and-certificate"}
            << "admin.mutation.auth = token-and-certificate needs admin.token";
        QTest::newRow("token never asked")
            << tls + QStringList{"--admin-ssl-client-auth", "required", "--admin-mutation-auth", "certificate", "--admin-token", "t"}
            << "admin.token is set but admin.mutation.auth = certificate never asks for it";
        QTest::newRow("principals without certificate") << QStringList{"--admin-token", "t", "--admin-ssl-principals", "CN=admin"}
                                                        << "admin.ssl.principals is set but admin.mutation.auth (token) takes no client certificate";
        QTest::newRow("principal not a subject")
            << tls + QStringList{"--admin-ssl-client-auth", "required", "--admin-mutation-auth", "certificate",
                                 "--admin-ssl-principals", "admin"}
            << "admin.ssl.principals: 'admin' is not a certificate subject";
        QTest::newRow("same port as http") << QStringList{"--admin-listen", "127.0.0.1:19095", "--http-listen", "127.0.0.1:19095"}
                                           << "admin.listen and http.listen both use port 19095";
    }
    void adminAccessMistakesAreOneLineEach()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        expectOneError(args, expected);
    }

    void aTypoInAListenerKeyIsAnUnknownKey()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "[listener.name.client]\nssl.certificat.location = \"c\"\n");
        auto out = ConfigLoader::load(isolated(dir, {"--config", file.toStdString()}));
        QCOMPARE(out.errors.size(), size_t(1));
        QVERIFY2(QString::fromStdString(out.errors[0]).contains("unknown key 'listener.name.client.ssl.certificat.location' (did you mean 'listener.name.client.ssl.certificate.location'?)"),
                 out.errors[0].c_str());
        auto flag = ConfigLoader::load(isolated(dir, {"--listener-name-client-ssl-certificat-location=c"}));
        QCOMPARE(flag.errors.size(), size_t(1));
        QVERIFY2(QString::fromStdString(flag.errors[0]).contains("unknown argument '--listener-name-client-ssl-certificat-location=c'"),
                 flag.errors[0].c_str());
        // Only TLS keys are per listener.
        auto other = ConfigLoader::load(isolated(dir, {"--listener-name-client-sasl-enabled-mechanisms=PLAIN"}));
        QCOMPARE(other.errors.size(), size_t(1));
        QVERIFY(QString::fromStdString(other.errors[0]).contains("unknown argument"));
    }

    void saslInterBrokerListenerTakesTheFollowersLogin()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "listeners = \"INTERNAL://127.0.0.1:19192,CLIENT://127.0.0.1:19092\"\n"
                                            "listener.security.protocol.map = \"INTERNAL:SASL_PLAINTEXT,CLIENT:PLAINTEXT\"\n"
                                            "inter.broker.listener.name = \"INTERNAL\"\n"
                                            "sasl.enabled.mechanisms = \"PLAIN,SCRAM-SHA-256\"\n"
                                            "sasl.mechanism.inter.broker.protocol = \"SCRAM-SHA-256\"\n"
                                            "inter.broker.sasl.username = \"broker\"\n"
                                            "inter.broker.sasl.password = \"s3cret\"\n");
        auto out = ConfigLoader::load(isolated(dir, {"--config", file.toStdString()}));
        QVERIFY2(out.errors.empty(), qPrintable(joined(out.errors)));
        QVERIFY(out.config.interBrokerSasl.has_value());
        QCOMPARE(out.config.interBrokerSasl->mechanism, std::string("SCRAM-SHA-256"));
        QCOMPARE(out.config.interBrokerSasl->username, std::string("broker"));
        QCOMPARE(out.config.interBrokerSasl->password, std::string("s3cret"));
        // Not a SASL inter-broker listener: no login, and the keys are not required.
        auto plain = ConfigLoader::load(isolated(dir));
        QVERIFY(plain.errors.empty());
        QVERIFY(!plain.config.interBrokerSasl.has_value());
    }

    void kafkasJaasLineGivesTheFollowersLogin()
    {
        QTemporaryDir dir;
        const char *head = "listeners = \"INTERNAL://127.0.0.1:19192,CLIENT://127.0.0.1:19092\"\n"
                           "listener.security.protocol.map = \"INTERNAL:SASL_PLAINTEXT,CLIENT:PLAINTEXT\"\n"
                           "inter.broker.listener.name = \"INTERNAL\"\n"
                           "sasl.enabled.mechanisms = \"PLAIN,SCRAM-SHA-512\"\n";
        // Per listener and mechanism, as Kafka's broker files write it (over two lines, a quote escaped
        // in the password).
        const std::string listenerLine = std::string(head) +
            "listener.name.internal.scram-sha-512.sasl.jaas.config = "
            "'''org.apache.kafka.common.security.scram.ScramLoginModule required\n  username=\"broker\" password=\"s3\\\"cret\";'''\n"
            "listener.name.internal.plain.sasl.jaas.config = "
            "'org.apache.kafka.common.security.plain.PlainLoginModule required username=\"other\" password=\"x\";'\n";
        auto out = ConfigLoader::load(isolated(dir, {"--config", writeFile(dir, listenerLine.c_str()).toStdString()}));
        QVERIFY2(out.errors.empty(), qPrintable(joined(out.errors)));
        QVERIFY(out.config.interBrokerSasl.has_value());
        QCOMPARE(out.config.interBrokerSasl->mechanism, std::string("SCRAM-SHA-512"));
        QCOMPARE(out.config.interBrokerSasl->username, std::string("broker"));
        QCOMPARE(out.config.interBrokerSasl->password, std::string("s3\"cret"));
        // Node-wide, with the mechanism followers use; a flag works as the file does.
        auto flag = ConfigLoader::load(isolated(dir, {"--config", writeFile(dir, head).toStdString(),
                                                      "--sasl-mechanism-inter-broker-protocol", "PLAIN", "--sasl-jaas-config",
                                                      "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                                      "username=broker password=\"pw\";"}));
        QVERIFY2(flag.errors.empty(), qPrintable(joined(flag.errors)));
        QCOMPARE(flag.config.interBrokerSasl->mechanism, std::string("PLAIN"));
        QCOMPARE(flag.config.interBrokerSasl->username, std::string("broker"));
        QCOMPARE(flag.config.interBrokerSasl->password, std::string("pw"));
    }

    void jaasMistakesAreOneLineEachAndNeverShowAValue_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("expected");
        const QStringList sasl{"--listeners", "INTERNAL://127.0.0.1:19192,CLIENT://127.0.0.1:19092",
                               "--listener-security-protocol-map", "INTERNAL:SASL_PLAINTEXT,CLIENT:PLAINTEXT",
                               "--inter-broker-listener-name", "INTERNAL"};
        const QString scram = "org.apache.kafka.common.security.scram.ScramLoginModule required ";
        QTest::newRow("no flag") << sasl + QStringList{"--sasl-jaas-config", "org.x.ScramLoginModule username=\"u\" password=\"SECRET\";"}
                                 << "sasl.jaas.config: the login module org.x.ScramLoginModule must be followed by its flag";
        QTest::newRow("no semicolon") << sasl + QStringList{"--sasl-jaas-config", scram + "username=\"u\" password=\"SECRET\""}
                                      << "sasl.jaas.config: the login module org.apache.kafka.common.security.scram.ScramLoginModule must end with ';'";
        QTest::newRow("open quote") << sasl + QStringList{"--sasl-jaas-config", scram + "username=\"u\" password=\"SECRET;"}
                                    << "sasl.jaas.config: the quoted value of option password has no closing quote";
        QTest::newRow("two modules") << sasl + QStringList{"--sasl-jaas-config", scram + "username=u password=SECRET; " + scram + ";"}
                                     << "one login module only";
        QTest::newRow("static users") << sasl + QStringList{"--listener-name-internal-plain-sasl-jaas-config",
                                                            "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                                            "username=\"u\" password=\"SECRET\" user_alice=\"SECRET\";",
                                                            "--inter-broker-sasl-username", "u", "--inter-broker-sasl-password", "SECRET"}
                                      << "listener.name.internal.plain.sasl.jaas.config: option user_alice is Kafka's static PLAIN user list";
        QTest::newRow("wrong module") << sasl + QStringList{"--listener-name-internal-scram-sha-512-sasl-jaas-config",
                                                            "org.apache.kafka.common.security.plain.PlainLoginModule required "
                                                            "username=\"u\" password=\"SECRET\";"}
                                      << "org.apache.kafka.common.security.plain.PlainLoginModule is not a login module for SCRAM-SHA-512";
        QTest::newRow("no password") << sasl + QStringList{"--sasl-jaas-config", scram + "username=\"u\";"}
                                     << "sasl.jaas.config: the followers' login needs options username and password";
        QTest::newRow("both") << sasl + QStringList{"--sasl-jaas-config", scram + "username=\"u\" password=\"SECRET\";",
                                                    "--inter-broker-sasl-username", "u", "--inter-broker-sasl-password", "SECRET"}
                              << "sasl.jaas.config and inter.broker.sasl.username/password both give the followers' login; keep one";
        QTest::newRow("plaintext listener") << sasl + QStringList{"--listener-name-client-scram-sha-512-sasl-jaas-config",
                                                                  scram + "username=\"u\" password=\"SECRET\";",
                                                                  "--inter-broker-sasl-username", "u", "--inter-broker-sasl-password", "SECRET"}
                                            << "listener.name.client.scram-sha-512.sasl.jaas.config: listener CLIENT is PLAINTEXT, which uses no SASL";
        QTest::newRow("unknown option") << sasl + QStringList{"--sasl-jaas-config", scram + "username=\"u\" password=\"SECRET\" tokenauth=true;"}
                                        << "sasl.jaas.config: option tokenauth is not one skiffd reads";
    }

    void jaasMistakesAreOneLineEachAndNeverShowAValue()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, expected);
        expectOneError(args, expected);
        QTemporaryDir dir;
        std::vector<std::string> flags;
        for (const QString &a : args)
            flags.push_back(a.toStdString());
        QVERIFY(!joined(ConfigLoader::load(isolated(dir, flags)).errors).contains("SECRET"));
    }

    void dataDirThatCannotBeCreated()
    {
        QTemporaryDir dir;
        QFile blocker(dir.path() + "/file");
        blocker.open(QIODevice::WriteOnly);
        blocker.close();
        auto out = ConfigLoader::load({"--data-dir", (dir.path() + "/file/data").toStdString()});
        QCOMPARE(out.errors.size(), size_t(1));
        QVERIFY2(QString::fromStdString(out.errors[0]).startsWith("data.dir: cannot create"), out.errors[0].c_str());
    }

    void wrongTypesAndRanges()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "node.id = \"one\"\n");
        auto typed = ConfigLoader::load(isolated(dir, {"--config", file.toStdString()}));
        QCOMPARE(typed.errors.size(), size_t(1));
        QVERIFY2(QString::fromStdString(typed.errors[0]).contains("skiffd.toml:1: node.id must be an integer"), typed.errors[0].c_str());
        auto range = ConfigLoader::load(isolated(dir, {"--node-id", "0"}));
        QCOMPARE(range.errors.size(), size_t(1));
        QVERIFY(QString::fromStdString(range.errors[0]).startsWith("node.id must be from 1"));
        auto notInt = ConfigLoader::load(isolated(dir, {"--num-partitions", "3x"}));
        QCOMPARE(notInt.errors.size(), size_t(1));
        QVERIFY(QString::fromStdString(notInt.errors[0]).contains("must be an integer, got '3x'"));
    }

    void tomlSyntaxErrorNamesLine()
    {
        QTemporaryDir dir;
        const QString file = writeFile(dir, "node.id = 1\nkafka.listen = \n");
        auto out = ConfigLoader::load(isolated(dir, {"--config", file.toStdString()}));
        QCOMPARE(out.errors.size(), size_t(1));
        QVERIFY2(QString::fromStdString(out.errors[0]).contains("skiffd.toml:2:"), out.errors[0].c_str());
    }

    void directoryAsConfigFileRefused()
    {
        // A directory reads as an empty file: it must be refused, not run on the defaults.
        QTemporaryDir dir;
        const std::string path = dir.path().toStdString();
        auto out = ConfigLoader::load(isolated(dir, {"--config", path}));
        QCOMPARE(out.errors.size(), size_t(1));
        QVERIFY2(out.errors[0].rfind(path + ": is a directory", 0) == 0, out.errors[0].c_str());
        QCOMPARE(ConfigLoader::load(isolated(dir, {"--config=" + path})).errors, out.errors);
    }

    void peersValidated()
    {
        QTemporaryDir dir;
        auto dup = ConfigLoader::load(isolated(dir, {"--peers", "1@127.0.0.1:9093,1@127.0.0.1:9193"}));
        QVERIFY(joined(dup.errors).contains("node id 1 is listed twice"));
        auto missingSelf = ConfigLoader::load(isolated(dir, {"--peers", "2@127.0.0.1:9193,3@127.0.0.1:9293"}));
        QVERIFY(joined(missingSelf.errors).contains("this node (node.id 1) is not in the peer list"));
        auto garbage = ConfigLoader::load(isolated(dir, {"--peers", "one@host"}));
        QVERIFY(joined(garbage.errors).contains("'one@host' is not id@host:port"));
    }

    void everyKeyHasAFlagInHelpAndADocLine()
    {
        const std::string help = ConfigLoader::helpText();
        QFile readme(QStringLiteral(SKIFF_SOURCE_DIR "/README.md"));
        QVERIFY(readme.open(QIODevice::ReadOnly));
        const QString doc = QString::fromUtf8(readme.readAll());
        for (const auto &k : configKeys()) {
            QVERIFY2(help.find(flagForKey(k.name)) != std::string::npos, k.name);
            QVERIFY2(doc.contains(QStringLiteral("`%1`").arg(k.name)), qPrintable(QStringLiteral("README does not document %1").arg(k.name)));
        }
        for (const std::string &key : listenerOverridableKeys()) {
            const std::string family = std::string(kListenerKeyPrefix) + "<listener>." + key;
            QVERIFY2(help.find(flagForKey(family)) != std::string::npos, family.c_str());
            QVERIFY2(doc.contains(QStringLiteral("`listener.name.<listener>.%1`").arg(QString::fromStdString(key))), family.c_str());
        }
    }
};

QTEST_GUILESS_MAIN(ConfigLoaderTest)
#include "ConfigLoaderTest.moc"
