// SCRAM credentials in the metadata: the state machine applies AlterScramCredentials all or
// nothing with every rule checked when applied, and the image and snapshot codecs carry them.

#include "metadata.pb.h"
#include "metadata/MetadataImageCodec.h"
#include "metadata/MetadataSnapshotCodec.h"
#include "metadata/MetadataStateMachine.h"

#include <QTest>

using namespace skiff;
using namespace skiff::metadata;

namespace {

ScramCredentialEntry entry(const std::string &user, ScramMechanism mechanism, int32_t iterations = 4096, char fill = 'k')
{
    ScramCredentialEntry e;
    e.set_user(user);
    e.set_mechanism(int32_t(mechanism));
    e.set_iterations(iterations);
    e.set_salt("salt-of-" + user);
    e.set_stored_key(std::string(scramHashBytes(mechanism), fill));
    e.set_server_key(std::string(scramHashBytes(mechanism), char(fill + 1)));
    return e;
}

Command upsert(std::vector<ScramCredentialEntry> entries)
{
    Command c;
    for (auto &e : entries)
        *c.mutable_alter_scram_credentials()->add_upsertions() = e;
    return c;
}

Command remove(const std::string &user, int32_t mechanism)
{
    Command c;
    auto *d = c.mutable_alter_scram_credentials()->add_deletions();
    d->set_user(user);
    d->set_mechanism(mechanism);
    return c;
}

void expectRefused(MetadataStateMachine &sm, uint64_t index, const Command &c, ScramRefusal refusal, const char *mentions)
{
    const ScramCredentialMap before = sm.image()->scramCredentials;
    const ApplyResult r = sm.apply(index, c);
    QVERIFY2(!r.status.isOk(), mentions);
    QCOMPARE(r.value, uint64_t(refusal));
    QVERIFY2(r.status.message().find(mentions) != std::string::npos, r.status.message().c_str());
    QVERIFY(sm.image()->scramCredentials == before);   // all or nothing
}

MetadataImage imageWithCredentials()
{
    MetadataStateMachine sm;
    const auto r = sm.apply(1, upsert({entry("alice", ScramMechanism::Sha256), entry("alice", ScramMechanism::Sha512, 8192, 'x'),
                                       entry("bob", ScramMechanism::Sha512, 16384, 'q')}));
    if (!r.status.isOk())
        qFatal("%s", r.status.toString().c_str());
    return *sm.image();
}

} // namespace

class ScramCredentialsTest : public QObject {
    Q_OBJECT
private slots:
    void setsReplacesAndDeletesCredentials()
    {
        MetadataStateMachine sm;
        QVERIFY(sm.apply(1, upsert({entry("alice", ScramMechanism::Sha256), entry("alice", ScramMechanism::Sha512)})).status.isOk());
        const ImagePtr first = sm.image();
        QCOMPARE(first->scramCredentials.at("alice").size(), size_t(2));
        const ScramCredential &c = first->scramCredentials.at("alice").at(ScramMechanism::Sha512);
        QCOMPARE(c.iterations, 4096);
        QCOMPARE(c.salt, std::string("salt-of-alice"));
        QCOMPARE(c.storedKey, std::string(64, 'k'));
        QCOMPARE(c.serverKey, std::string(64, 'l'));

        // Setting a mechanism again replaces its credential; the other stays.
        QVERIFY(sm.apply(2, upsert({entry("alice", ScramMechanism::Sha512, 10000, 'm')})).status.isOk());
        QCOMPARE(sm.image()->scramCredentials.at("alice").at(ScramMechanism::Sha512).iterations, 10000);
        QCOMPARE(sm.image()->scramCredentials.at("alice").at(ScramMechanism::Sha256).iterations, 4096);
        QCOMPARE(first->scramCredentials.at("alice").at(ScramMechanism::Sha512).iterations, 4096);   // old image intact

        QVERIFY(sm.apply(3, remove("alice", 1)).status.isOk());
        QCOMPARE(sm.image()->scramCredentials.at("alice").size(), size_t(1));
        QVERIFY(sm.apply(4, remove("alice", 2)).status.isOk());
        QVERIFY(sm.image()->scramCredentials.empty());   // a user with no credential is gone
    }

    void refusesWhatKafkaRefusesWhenApplied()
    {
        MetadataStateMachine sm;
        QVERIFY(sm.apply(1, upsert({entry("alice", ScramMechanism::Sha256)})).status.isOk());
        expectRefused(sm, 2, upsert({entry("", ScramMechanism::Sha256)}), ScramRefusal::Unacceptable, "Username must not be empty");
        auto unknown = entry("bob", ScramMechanism::Sha256);
        unknown.set_mechanism(3);
        expectRefused(sm, 3, upsert({unknown}), ScramRefusal::UnknownMechanism, "Unknown SCRAM mechanism 3");
        expectRefused(sm, 4, upsert({entry("bob", ScramMechanism::Sha256, 4095)}), ScramRefusal::Unacceptable,
                      "Too few iterations for user 'bob': 4095 (allowed: 4096 to 16384)");
        expectRefused(sm, 5, upsert({entry("bob", ScramMechanism::Sha256, 16385)}), ScramRefusal::Unacceptable, "Too many iterations");
        auto noSalt = entry("bob", ScramMechanism::Sha256);
        noSalt.clear_salt();
        expectRefused(sm, 6, upsert({noSalt}), ScramRefusal::Unacceptable, "Salt must not be empty");
        auto shortKey = entry("bob", ScramMechanism::Sha512);
        shortKey.set_stored_key(std::string(32, 'k'));
        expectRefused(sm, 7, upsert({shortKey}), ScramRefusal::Unacceptable, "has a 32-byte stored key and a 64-byte server key");
        expectRefused(sm, 8, remove("alice", 2), ScramRefusal::NotFound, "Attempt to delete a user credential that does not exist");
        expectRefused(sm, 9, remove("carol", 1), ScramRefusal::NotFound, "of user 'carol'");
        expectRefused(sm, 10, remove("alice", 0), ScramRefusal::UnknownMechanism, "Unknown SCRAM mechanism 0");
        expectRefused(sm, 11, upsert({entry("bob", ScramMechanism::Sha256), entry("bob", ScramMechanism::Sha256)}),
                      ScramRefusal::Duplicate, "cannot be altered twice");
        // One bad part refuses the whole command: bob's good credential is not set either.
        expectRefused(sm, 12, upsert({entry("bob", ScramMechanism::Sha256), entry("bob", ScramMechanism::Sha512, 1)}),
                      ScramRefusal::Unacceptable, "Too few iterations");
        Command deleteAndSet = remove("alice", 1);
        *deleteAndSet.mutable_alter_scram_credentials()->add_upsertions() = entry("alice", ScramMechanism::Sha256);
        expectRefused(sm, 13, deleteAndSet, ScramRefusal::Duplicate, "cannot be altered twice");
        QCOMPARE(sm.image()->appliedIndex, uint64_t(13));   // refused commands still advance the index
        QCOMPARE(sm.image()->scramCredentials.size(), size_t(1));
    }

    void imageCodecRoundTripsCredentials()
    {
        const MetadataImage want = imageWithCredentials();
        const std::string bytes = encodeImage(want);
        auto got = decodeImage(bytes);
        QVERIFY2(got, got.status().toString().c_str());
        QVERIFY(got->scramCredentials == want.scramCredentials);
        QCOMPARE(got->scramCredentials.at("bob").at(ScramMechanism::Sha512).iterations, 16384);
        QCOMPARE(encodeImage(*got), bytes);
    }

    void imageWithoutCredentialsLoadsAsNone()
    {
        ImageSnapshot s;
        s.ParseFromString(encodeImage(imageWithCredentials()));
        s.clear_scram_credentials();   // as a build before SCRAM credentials wrote it
        auto got = decodeImage(s.SerializeAsString());
        QVERIFY2(got, got.status().toString().c_str());
        QVERIFY(got->scramCredentials.empty());
    }

    void imageCodecRefusesBrokenCredentials()
    {
        ImageSnapshot s;
        s.ParseFromString(encodeImage(imageWithCredentials()));
        ImageSnapshot twice = s;
        *twice.add_scram_credentials() = s.scram_credentials(0);
        auto got = decodeImage(twice.SerializeAsString());
        QVERIFY(!got);
        QVERIFY2(got.status().message().find("user 'alice' has two SCRAM-SHA-256 credentials") != std::string::npos,
                 got.status().message().c_str());
        ImageSnapshot shortKey = s;
        shortKey.mutable_scram_credentials(2)->set_server_key("x");
        got = decodeImage(shortKey.SerializeAsString());
        QVERIFY(!got);
        QCOMPARE(got.status().code(), StatusCode::Corruption);
        QVERIFY2(got.status().message().find("1-byte server key") != std::string::npos, got.status().message().c_str());
    }

    void snapshotRoundTripsCredentials()
    {
        const MetadataImage want = imageWithCredentials();
        const std::string bytes = encodeSnapshotPayload(want, {{1, "127.0.0.1:9093"}});
        auto got = decodeSnapshotPayload(bytes, 42);
        QVERIFY2(got, got.status().toString().c_str());
        QVERIFY(got->image.scramCredentials == want.scramCredentials);
        QCOMPARE(got->image.appliedIndex, uint64_t(42));
        // A state machine restored from it refuses and applies as the original would.
        MetadataStateMachine sm;
        sm.restore(std::make_shared<MetadataImage>(got->image));
        QVERIFY(sm.apply(43, remove("bob", 2)).status.isOk());
        QVERIFY(!sm.image()->scramCredentials.count("bob"));
        QCOMPARE(sm.apply(44, remove("bob", 2)).value, uint64_t(ScramRefusal::NotFound));
    }
};

QTEST_GUILESS_MAIN(ScramCredentialsTest)
#include "ScramCredentialsTest.moc"
