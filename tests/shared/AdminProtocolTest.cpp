// Admin protocol framing and messages: round trips whatever the chunking, oversize and negative
// lengths refused before allocation, garbage refused and sticky, and every request and response
// body round trips (the test fails when a body is added to admin.proto without a case here).
#include "admin/AdminFraming.h"
#include "admin/AdminProtocol.h"

#include <QTest>
#include <QtEndian>

#include <random>
#include <set>

using namespace skiff;
using namespace skiff::admin;

namespace {

QByteArray header(int32_t length)
{
    QByteArray h(4, Qt::Uninitialized);
    qToBigEndian(length, h.data());
    return h;
}

std::vector<Request> oneOfEachRequest()
{
    std::vector<Request> out;
    auto add = [&](auto fill) {
        Request r;
        r.set_protocol_version(kProtocolVersion);
        r.set_request_id(out.size() + 1);
        r.set_token("t0ken");
        fill(r);
        out.push_back(r);
    };
    add([](Request &r) { r.mutable_get_status(); });
    add([](Request &r) {
        r.mutable_subscribe()->set_rate_hz(20);
        r.mutable_subscribe()->set_with_history(true);
    });
    add([](Request &r) { r.mutable_get_events(); });
    add([](Request &r) { r.mutable_describe_groups()->add_groups("billing"); });
    add([](Request &r) { r.mutable_describe_raft(); });
    add([](Request &r) { r.mutable_list_brokers(); });
    add([](Request &r) { r.mutable_list_topics(); });
    add([](Request &r) { r.mutable_describe_partitions()->add_topics("orders"); });
    add([](Request &r) { r.mutable_get_lock_stats(); });
    add([](Request &r) { r.mutable_transfer_leader()->set_to(3); });
    add([](Request &r) {
        r.mutable_add_node()->set_id(4);
        r.mutable_add_node()->set_raft_address("10.0.0.4:9093");
    });
    add([](Request &r) { r.mutable_remove_node()->set_id(4); });
    add([](Request &r) {
        auto *c = r.mutable_create_topic();
        c->set_name("orders");
        c->set_partitions(6);
        c->set_replication_factor(3);
        (*c->mutable_configs())["retention.ms"] = "1000";
    });
    add([](Request &r) { r.mutable_delete_topic()->set_name("orders"); });
    add([](Request &r) { r.mutable_list_scram_users(); });
    add([](Request &r) {
        auto *s = r.mutable_set_scram_user();
        s->set_user("alice");
        s->add_mechanisms("SCRAM-SHA-512");
        s->set_iterations(8192);
        s->set_password("p\xC3\xA4ss word");
    });
    add([](Request &r) {
        r.mutable_delete_scram_user()->set_user("alice");
        r.mutable_delete_scram_user()->add_mechanisms("SCRAM-SHA-256");
    });
    add([](Request &r) {
        auto *f = r.mutable_list_acls()->mutable_filter();
        f->set_resource_type("topic");
        f->set_principal("User:alice");
    });
    add([](Request &r) {
        auto *a = r.mutable_add_acls()->add_acls();
        a->set_resource_type("TOPIC");
        a->set_resource_name("orders-");
        a->set_pattern_type("PREFIXED");
        a->set_principal("User:CN=skiff-node1,O=Ex\\, Inc");
        a->set_host("*");
        a->set_operation("IDEMPOTENT_WRITE");
        a->set_permission("DENY");
    });
    add([](Request &r) {
        auto *f = r.mutable_remove_acls()->add_filters();
        f->set_resource_type("GROUP");
        f->set_resource_name("app");
        f->set_operation("read");
    });
    add([](Request &r) {
        auto *target = r.mutable_elect_leaders()->add_partitions();
        target->set_topic("orders");
        target->set_partition(-1);
    });
    return out;
}

std::vector<Response> oneOfEachResponse()
{
    std::vector<Response> out;
    auto add = [&](auto fill) {
        Response r;
        r.set_protocol_version(kProtocolVersion);
        r.set_request_id(out.size() + 1);
        fill(r);
        out.push_back(r);
    };
    add([](Response &r) {
        auto *s = r.mutable_status();
        s->set_node_id(2);
        s->set_cluster_id("c");
        s->mutable_build()->set_git_hash("abc");
        s->set_term(7);
        s->add_voters(1);
        auto *b = s->add_brokers();
        b->set_id(2);
        b->set_heartbeat_known(true);
        b->set_last_heartbeat_age_ms(120);
        s->add_locks()->mutable_wait_micros()->add_bucket_counts(3);
        s->add_links()->set_state("up");
    });
    add([](Response &r) {
        r.mutable_event()->set_kind("leader");
        r.mutable_event()->set_text("leader is node 2 in term 7");
        r.mutable_event()->set_time_unix_ms(1700000000000);
    });
    add([](Response &r) {
        auto *p = r.mutable_raft()->add_peers();
        p->set_id(3);
        p->set_match(10);
        p->set_state("replicate");
    });
    add([](Response &r) { r.mutable_brokers()->add_brokers()->set_id(1); });
    add([](Response &r) { r.mutable_topics()->add_topics()->set_name("orders"); });
    add([](Response &r) { r.mutable_partitions()->add_partitions()->add_isr(1); });
    add([](Response &r) { r.mutable_locks()->add_locks()->set_name("raft.log"); });
    add([](Response &r) { r.mutable_done()->set_detail("ok"); });
    add([](Response &r) {
        auto *u = r.mutable_scram_users()->add_users();
        u->set_name("alice");
        auto *c = u->add_credentials();
        c->set_mechanism("SCRAM-SHA-256");
        c->set_iterations(4096);
    });
    add([](Response &r) {
        auto *a = r.mutable_acls()->add_acls();
        a->set_resource_type("CLUSTER");
        a->set_resource_name("kafka-cluster");
        a->set_pattern_type("LITERAL");
        a->set_principal("User:admin");
        a->set_host("10.0.0.7");
        a->set_operation("ALTER");
        a->set_permission("ALLOW");
    });
    add([](Response &r) {
        auto *h = r.mutable_history();
        h->set_capacity(256);
        h->set_dropped(3);
        auto *e = h->add_events();
        e->set_kind("fence");
        e->set_text("node 3 fenced");
        e->set_sequence(4);
        e->set_incarnation_id("inc-1");
    });
    add([](Response &r) {
        auto *g = r.mutable_groups()->add_groups();
        g->set_group_id("billing");
        g->set_state("Stable");
        auto *o = g->add_offsets();
        o->set_topic("orders");
        o->set_committed(120);
        o->set_lag_known(true);
        o->set_lag(5);
        g->add_members()->add_assignment()->add_partitions(3);
    });
    add([](Response &r) {
        r.set_error_code(ERROR_CODE_UNAUTHORIZED);
        r.set_error_message("needs the admin token");
    });
    return out;
}

template <class Message>
std::vector<Message> decodeAll(const QByteArray &bytes, int chunk, int32_t maxFrame = kMaxResponseFrameBytes)
{
    AdminFrameDecoder decoder(maxFrame);
    std::vector<Message> out;
    for (qsizetype at = 0; at < bytes.size(); at += chunk) {
        decoder.feed(bytes.mid(at, chunk));
        for (;;) {
            Message m;
            auto r = decoder.next(m);
            if (!r.isOk()) {
                qWarning("%s", r.status().toString().c_str());
                return {};
            }
            if (!r.value())
                break;
            out.push_back(m);
        }
    }
    return out;
}

} // namespace

class AdminProtocolTest : public QObject {
    Q_OBJECT
private slots:
    void everyRequestRoundTripsWhateverTheChunking()
    {
        const auto requests = oneOfEachRequest();
        std::set<int> cases;
        QByteArray wire;
        for (const auto &r : requests) {
            cases.insert(int(r.body_case()));
            wire += encodeAdminFrame(r);
        }
        const auto *oneof = Request::descriptor()->FindOneofByName("body");
        QCOMPARE(int(cases.size()), oneof->field_count());
        for (int chunk : {1, 3, 7, 64, int(wire.size())}) {
            const auto decoded = decodeAll<Request>(wire, chunk, kMaxRequestFrameBytes);
            QCOMPARE(decoded.size(), requests.size());
            for (size_t i = 0; i < requests.size(); ++i)
                QCOMPARE(decoded[i].SerializeAsString(), requests[i].SerializeAsString());
        }
    }

    void everyResponseRoundTrips()
    {
        const auto responses = oneOfEachResponse();
        std::set<int> cases;
        QByteArray wire;
        for (const auto &r : responses) {
            if (r.body_case() != Response::BODY_NOT_SET)
                cases.insert(int(r.body_case()));
            wire += encodeAdminFrame(r);
        }
        QCOMPARE(int(cases.size()), Response::descriptor()->FindOneofByName("body")->field_count());
        const auto decoded = decodeAll<Response>(wire, 5);
        QCOMPARE(decoded.size(), responses.size());
        for (size_t i = 0; i < responses.size(); ++i)
            QCOMPARE(decoded[i].SerializeAsString(), responses[i].SerializeAsString());
    }

    void emptyMessageIsAZeroLengthFrame()
    {
        Request empty;
        const QByteArray wire = encodeAdminFrame(empty);
        QCOMPARE(wire, header(0));
        const auto decoded = decodeAll<Request>(wire, 4);
        QCOMPARE(decoded.size(), size_t(1));
        QCOMPARE(decoded[0].body_case(), Request::BODY_NOT_SET);
    }

    void oversizeAndNegativeLengthsRefusedBeforeTheBody()
    {
        for (int32_t length : {kMaxRequestFrameBytes + 1, INT32_MAX, -1, INT32_MIN}) {
            AdminFrameDecoder decoder(kMaxRequestFrameBytes);
            decoder.feed(header(length));   // no body follows: refused on the header alone
            Request r;
            auto result = decoder.next(r);
            QVERIFY(!result.isOk());
            QCOMPARE(result.status().code(), StatusCode::Corruption);
            QVERIFY2(result.status().message().find("exceeds the limit of") != std::string::npos, result.status().message().c_str());
            QCOMPARE(decoder.bufferedBytes(), qsizetype(0));
            decoder.feed(encodeAdminFrame(oneOfEachRequest()[0]));   // sticky: the stream lost its framing
            QVERIFY(!decoder.next(r).isOk());
            QCOMPARE(decoder.bufferedBytes(), qsizetype(0));
        }
        // Exactly the limit is fine.
        AdminFrameDecoder decoder(8);
        Request r;
        r.set_request_id(1);
        r.mutable_get_status();
        QVERIFY(r.ByteSizeLong() <= 8);
        decoder.feed(encodeAdminFrame(r));
        auto ok = decoder.next(r);
        QVERIFY(ok.isOk() && ok.value());
    }

    void garbageRefused()
    {
        AdminFrameDecoder decoder(kMaxRequestFrameBytes);
        decoder.feed(header(5) + QByteArray("\xff\xff\xff\xff\xff", 5));
        Request r;
        auto result = decoder.next(r);
        QVERIFY(!result.isOk());
        QVERIFY2(result.status().message().find("not a valid skiff.admin.Request") != std::string::npos,
                 result.status().message().c_str());
        // An HTTP request on the admin port: "GET " is a length of 1.1 GB, refused at once.
        AdminFrameDecoder http(kMaxRequestFrameBytes);
        http.feed("GET /status HTTP/1.1\r\n\r\n");
        QVERIFY(!http.next(r).isOk());
    }

    void randomStreamsNeverCrashTheDecoder()
    {
        // Seeded random streams, plain and mutated from valid frames: each ends in frames, a need
        // for more bytes, or a sticky error; never a crash, a hang or an allocation past the limit.
        std::mt19937 rng(20261201);
        Request valid;
        valid.set_protocol_version(kProtocolVersion);
        valid.set_request_id(7);
        valid.mutable_create_topic()->set_name("t");
        const QByteArray seed = encodeAdminFrame(valid);
        for (int round = 0; round < 20000; ++round) {
            QByteArray bytes;
            if (round % 2) {
                bytes = seed + seed;
                const int flips = 1 + int(rng() % 6);
                for (int f = 0; f < flips; ++f)
                    bytes[int(rng() % uint32_t(bytes.size()))] = char(rng());
            } else {
                bytes.resize(int(rng() % 96));
                for (auto &b : bytes)
                    b = char(rng());
            }
            AdminFrameDecoder decoder(1 << 16);
            qsizetype pos = 0;
            int frames = 0;
            bool failed = false;
            while (pos < bytes.size() && !failed) {
                const qsizetype n = 1 + qsizetype(rng() % 16);
                decoder.feed(bytes.mid(pos, n));
                pos += n;
                for (;;) {
                    Request out;
                    auto r = decoder.next(out);
                    if (!r.isOk()) {
                        failed = true;
                        QVERIFY(!decoder.next(out).isOk());   // sticky
                        break;
                    }
                    if (!r.value())
                        break;
                    QVERIFY(++frames <= 4);
                }
            }
            QVERIFY(decoder.bufferedBytes() <= bytes.size());
        }
    }

    void mutatingRequestsAreTheOnesThatChangeTheCluster()
    {
        std::set<std::string> mutating;
        for (const auto &r : oneOfEachRequest()) {
            QVERIFY(std::string(requestKindName(r)) != "unknown");
            if (isMutating(r))
                mutating.insert(requestKindName(r));
        }
        QCOMPARE(mutating, (std::set<std::string>{"transfer_leader", "add_node", "remove_node", "create_topic", "delete_topic",
                                                  "elect_leaders", "set_scram_user", "delete_scram_user", "add_acls",
                                                  "remove_acls"}));
        QCOMPARE(std::string(requestKindName(Request())), std::string("none"));
        QVERIFY(!isMutating(Request()));
    }
};

QTEST_GUILESS_MAIN(AdminProtocolTest)
#include "AdminProtocolTest.moc"
