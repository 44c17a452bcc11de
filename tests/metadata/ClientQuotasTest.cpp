// Client quotas in the metadata: the rules of entities and values (Kafka's
// ClientQuotaControlManager), the state machine applying AlterClientQuotas all or nothing with the
// rules checked when applied, DescribeClientQuotas' filter, the precedence that picks a client's
// quota, and the image and snapshot codecs carrying them.

#include "metadata.pb.h"
#include "metadata/ClientQuotas.h"
#include "metadata/MetadataImageCodec.h"
#include "metadata/MetadataSnapshotCodec.h"
#include "metadata/MetadataStateMachine.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace skiff;
using namespace skiff::metadata;

namespace {

const QuotaEntityPart kAbsent{};
QuotaEntityPart named(const std::string &n) { return QuotaEntityPart::named(n); }
const QuotaEntityPart kDefault = QuotaEntityPart::defaultEntity();

struct Op {
    std::string key;
    double value;
    bool remove = false;
};

Command alter(const QuotaEntity &entity, std::vector<Op> ops)
{
    Command c;
    quotaEntityToProto(entity, *c.mutable_alter_client_quotas()->mutable_entity());
    for (const Op &op : ops) {
        auto *o = c.mutable_alter_client_quotas()->add_ops();
        o->set_key(op.key);
        o->set_value(op.value);
        o->set_remove(op.remove);
    }
    return c;
}

void expectRefused(MetadataStateMachine &sm, uint64_t index, const Command &c, const char *mentions)
{
    const ClientQuotaMap before = sm.image()->clientQuotas;
    const ApplyResult r = sm.apply(index, c);
    QVERIFY2(!r.status.isOk(), mentions);
    QCOMPARE(r.value, uint64_t(ClientQuotaRefusal::InvalidRequest));
    QVERIFY2(r.status.message().find(mentions) != std::string::npos, r.status.message().c_str());
    QVERIFY(sm.image()->clientQuotas == before);   // all or nothing
}

MetadataImage imageWithQuotas()
{
    MetadataStateMachine sm;
    uint64_t index = 0;
    for (const Command &c : {alter({named("alice"), kAbsent}, {{"producer_byte_rate", 1048576}, {"request_percentage", 12.5}}),
                             alter({named("alice"), named("app")}, {{"consumer_byte_rate", 2048}}),
                             alter({kDefault, kAbsent}, {{"producer_byte_rate", 4096}}),
                             alter({kAbsent, kDefault}, {{"consumer_byte_rate", 100}}),
                             alter({kAbsent, named("app")}, {{"consumer_byte_rate", 300}})}) {
        const auto r = sm.apply(++index, c);
        if (!r.status.isOk())
            qFatal("%s", r.status.toString().c_str());
    }
    return *sm.image();
}

using Parts = std::vector<std::pair<std::string, std::optional<std::string>>>;

} // namespace

class ClientQuotasTest : public QObject {
    Q_OBJECT
private slots:
    void setsReplacesAndRemovesQuotas()
    {
        MetadataStateMachine sm;
        const QuotaEntity alice{named("alice"), kAbsent};
        QVERIFY(sm.apply(1, alter(alice, {{"producer_byte_rate", 1000}, {"request_percentage", 50}})).status.isOk());
        const ImagePtr first = sm.image();
        QCOMPARE(first->clientQuotas.at(alice).at("producer_byte_rate"), 1000.0);
        QVERIFY(sm.apply(2, alter(alice, {{"producer_byte_rate", 2000}})).status.isOk());
        QCOMPARE(sm.image()->clientQuotas.at(alice).at("producer_byte_rate"), 2000.0);
        QCOMPARE(sm.image()->clientQuotas.at(alice).at("request_percentage"), 50.0);   // untouched keys stay
        QCOMPARE(first->clientQuotas.at(alice).at("producer_byte_rate"), 1000.0);      // old image intact
        // Removing a key the entity does not have changes nothing and is no error (Kafka).
        QVERIFY(sm.apply(3, alter(alice, {{"consumer_byte_rate", 0, true}})).status.isOk());
        QVERIFY(sm.apply(4, alter(alice, {{"producer_byte_rate", 0, true}, {"request_percentage", 0, true}})).status.isOk());
        QVERIFY(sm.image()->clientQuotas.empty());   // an entity with no key is gone
        // The default entity is its own entity, apart from any named one.
        QVERIFY(sm.apply(5, alter({kDefault, kDefault}, {{"consumer_byte_rate", 10}})).status.isOk());
        QCOMPARE(sm.image()->clientQuotas.size(), size_t(1));
        QVERIFY(sm.image()->clientQuotas.count(QuotaEntity{kDefault, kDefault}));
    }

    void refusesWhatKafkaRefusesWhenApplied()
    {
        MetadataStateMachine sm;
        const QuotaEntity alice{named("alice"), kAbsent};
        QVERIFY(sm.apply(1, alter(alice, {{"producer_byte_rate", 1000}})).status.isOk());
        expectRefused(sm, 2, alter({}, {{"producer_byte_rate", 1}}), "Invalid empty client quota entity");
        expectRefused(sm, 3, alter(alice, {{"bogus_rate", 1}}), "Invalid configuration key bogus_rate");
        expectRefused(sm, 4, alter(alice, {{"controller_mutation_rate", 1}}), "Skiff does not enforce controller mutation quotas");
        expectRefused(sm, 5, alter(alice, {{"producer_byte_rate", 0}}), "Quota producer_byte_rate must be greater than 0");
        expectRefused(sm, 6, alter(alice, {{"request_percentage", -1}}), "Quota request_percentage must be greater than 0");
        expectRefused(sm, 7, alter(alice, {{"consumer_byte_rate", std::nan("")}}), "must be greater than 0");
        expectRefused(sm, 8, alter(alice, {{"producer_byte_rate", 10.5}}), "producer_byte_rate cannot be a fractional value.");
        expectRefused(sm, 9, alter(alice, {{"producer_byte_rate", 1e19}}), "too large for a LONG");
        expectRefused(sm, 10, alter(alice, {{"request_percentage", std::numeric_limits<double>::infinity()}}), "must be finite");
        // A key named twice refuses the whole entity, the good key with it.
        expectRefused(sm, 11, alter(alice, {{"consumer_byte_rate", 5}, {"producer_byte_rate", 5}, {"producer_byte_rate", 0, true}}),
                      "Duplicate quota key producer_byte_rate not updating quota for this entity /users/alice");
        expectRefused(sm, 12, alter({named(""), kAbsent}, {{"producer_byte_rate", 1}}), "Empty name");
        QCOMPARE(sm.image()->appliedIndex, uint64_t(12));   // refused commands still advance the index
        QCOMPARE(sm.image()->clientQuotas.at(alice).size(), size_t(1));
        // A fractional request percentage is a DOUBLE in Kafka: allowed.
        QVERIFY(sm.apply(13, alter(alice, {{"request_percentage", 0.5}})).status.isOk());
    }

    void entitiesFromRequestParts()
    {
        QuotaEntity e;
        QVERIFY(quotaEntityFromParts(Parts{{"user", "alice"}, {"client-id", std::nullopt}}, e).ok());
        QVERIFY(e == (QuotaEntity{named("alice"), kDefault}));
        QCOMPARE(quotaEntityPath(e), std::string("/users/alice/clients/<default>"));
        auto refusal = [](const Parts &parts) {
            QuotaEntity entity;
            return quotaEntityFromParts(parts, entity).message;
        };
        QCOMPARE(refusal({}), std::string("Invalid empty client quota entity"));
        QCOMPARE(refusal({{"user", "a"}, {"user", "b"}}), std::string("Invalid client quota entity, duplicate entity entry user"));
        QCOMPARE(refusal({{"group", "a"}}), std::string("Unhandled client quota entity type: group"));
        QCOMPARE(refusal({{"client-id", ""}}), std::string("Empty client-id not supported"));
        QVERIFY(refusal({{"ip", "127.0.0.1"}}).find("IP quotas") != std::string::npos);
    }

    void describeFiltersAsKafka()
    {
        const MetadataImage image = imageWithQuotas();
        auto describe = [&](std::vector<QuotaFilterComponent> filter, bool strict) {
            std::vector<const ClientQuotaMap::value_type *> matched;
            const ClientQuotaDecision d = describeClientQuotas(image.clientQuotas, filter, strict, matched);
            if (!d.ok())
                return std::vector<std::string>{"refused: " + d.message};
            std::vector<std::string> paths;
            for (const auto *m : matched)
                paths.push_back(quotaEntityPath(m->first));
            std::sort(paths.begin(), paths.end());
            return paths;
        };
        using V = std::vector<std::string>;
        QCOMPARE(describe({}, false).size(), size_t(5));   // no component: every entity
        QCOMPARE(describe({}, true), V{});                   // strict, no component: only an empty entity, never stored
        QCOMPARE(describe({{"user", 0, "alice"}}, false), (V{"/users/alice", "/users/alice/clients/app"}));
        QCOMPARE(describe({{"user", 0, "alice"}}, true), (V{"/users/alice"}));
        QCOMPARE(describe({{"user", 1, std::nullopt}}, false), (V{"/users/<default>"}));
        QCOMPARE(describe({{"client-id", 2, std::nullopt}}, false),
                 (V{"/clients/<default>", "/clients/app", "/users/alice/clients/app"}));
        QCOMPARE(describe({{"client-id", 2, std::nullopt}}, true), (V{"/clients/<default>", "/clients/app"}));
        QCOMPARE(describe({{"user", 2, std::nullopt}, {"client-id", 0, "app"}}, false), (V{"/users/alice/clients/app"}));
        QCOMPARE(describe({{"ip", 2, std::nullopt}}, false), V{});
        QCOMPARE(describe({{"user", 0, std::nullopt}}, false),
                 V{"refused: Request specified MATCH_TYPE_EXACT, but set match string to null."});
        QCOMPARE(describe({{"user", 1, "x"}}, false),
                 V{"refused: Request specified MATCH_TYPE_DEFAULT, but also specified a match string."});
        QCOMPARE(describe({{"user", 2, "x"}}, false),
                 V{"refused: Request specified MATCH_TYPE_SPECIFIED, but also specified a match string."});
        QCOMPARE(describe({{"user", 3, std::nullopt}}, false), V{"refused: Unknown match type 3"});
        QCOMPARE(describe({{"user", 2, std::nullopt}, {"user", 0, "a"}}, false),
                 V{"refused: Entity type user cannot appear more than once in the filter."});
        QCOMPARE(describe({{"", 2, std::nullopt}}, false), V{"refused: Invalid empty entity type."});
        QVERIFY(describe({{"ip", 2, std::nullopt}, {"user", 2, std::nullopt}}, false)[0].find("IP filter component")
                != std::string::npos);
        std::vector<const ClientQuotaMap::value_type *> matched;
        QCOMPARE(describeClientQuotas(image.clientQuotas, {{"group", 2, std::nullopt}}, false, matched).refusal,
                 ClientQuotaRefusal::Unsupported);
    }

    void precedencePicksTheMostSpecificEntityPerKey()
    {
        const MetadataImage image = imageWithQuotas();
        auto quota = [&](std::string_view key, const std::string &user, const std::string &client) {
            const auto q = applicableQuota(image.clientQuotas, key, user, client);
            return q ? std::to_string(int64_t(q->bound)) + " " + q->sensorUser + "/" + q->sensorClientId : std::string("none");
        };
        // /users/alice/clients/app has consumer_byte_rate, /users/alice producer_byte_rate.
        QCOMPARE(quota("consumer_byte_rate", "alice", "app"), std::string("2048 alice/app"));
        QCOMPARE(quota("producer_byte_rate", "alice", "app"), std::string("1048576 alice/"));   // shared by all of alice's clients
        QCOMPARE(quota("request_percentage", "alice", "other"), std::string("12 alice/"));
        // alice with another client: /users/alice has no consumer rate; /users/<default> neither;
        // /clients/<default> has, measured per client id.
        QCOMPARE(quota("consumer_byte_rate", "alice", "other"), std::string("100 /other"));
        QCOMPARE(quota("consumer_byte_rate", "bob", "app"), std::string("300 /app"));
        QCOMPARE(quota("producer_byte_rate", "bob", "app"), std::string("4096 bob/"));   // /users/<default>
        QCOMPARE(quota("producer_byte_rate", "ANONYMOUS", "x"), std::string("4096 ANONYMOUS/"));
        QCOMPARE(quota("request_percentage", "bob", "app"), std::string("none"));
        QCOMPARE(applicableQuota({}, "producer_byte_rate", "a", "b").has_value(), false);
    }

    void imageCodecRoundTripsQuotas()
    {
        const MetadataImage want = imageWithQuotas();
        const std::string bytes = encodeImage(want);
        auto got = decodeImage(bytes);
        QVERIFY2(got, got.status().toString().c_str());
        QVERIFY(got->clientQuotas == want.clientQuotas);
        QCOMPARE(got->clientQuotas.at(QuotaEntity{named("alice"), kAbsent}).at("request_percentage"), 12.5);
        QCOMPARE(encodeImage(*got), bytes);
    }

    void imageWithoutQuotasLoadsAsNone()
    {
        ImageSnapshot s;
        s.ParseFromString(encodeImage(imageWithQuotas()));
        s.clear_client_quotas();   // as a build before client quotas wrote it
        auto got = decodeImage(s.SerializeAsString());
        QVERIFY2(got, got.status().toString().c_str());
        QVERIFY(got->clientQuotas.empty());
    }

    void imageCodecRefusesBrokenQuotas()
    {
        ImageSnapshot s;
        s.ParseFromString(encodeImage(imageWithQuotas()));
        ImageSnapshot twice = s;
        *twice.add_client_quotas() = s.client_quotas(0);
        auto got = decodeImage(twice.SerializeAsString());
        QVERIFY(!got);
        QCOMPARE(got.status().code(), StatusCode::Corruption);
        QVERIFY2(got.status().message().find("has two") != std::string::npos, got.status().message().c_str());
        ImageSnapshot negative = s;
        negative.mutable_client_quotas(0)->set_value(-1);
        got = decodeImage(negative.SerializeAsString());
        QVERIFY(!got);
        QVERIFY2(got.status().message().find("must be greater than 0") != std::string::npos, got.status().message().c_str());
    }

    void snapshotRoundTripsQuotas()
    {
        const MetadataImage want = imageWithQuotas();
        auto got = decodeSnapshotPayload(encodeSnapshotPayload(want, {{1, "127.0.0.1:9093"}}), 42);
        QVERIFY2(got, got.status().toString().c_str());
        QVERIFY(got->image.clientQuotas == want.clientQuotas);
        MetadataStateMachine sm;
        sm.restore(std::make_shared<MetadataImage>(got->image));
        QVERIFY(sm.apply(43, alter({kAbsent, named("app")}, {{"consumer_byte_rate", 0, true}})).status.isOk());
        QVERIFY(!sm.image()->clientQuotas.count(QuotaEntity{kAbsent, named("app")}));
        QCOMPARE(sm.image()->clientQuotas.size(), want.clientQuotas.size() - 1);
    }
};

QTEST_GUILESS_MAIN(ClientQuotasTest)
#include "ClientQuotasTest.moc"
