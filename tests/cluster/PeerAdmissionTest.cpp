// Who may speak to the quorum: members, a joiner with the cluster's join token, and every frame
// only for its own link's node (issue: one forged frame to a raft port could stop every node).
#include "cluster/PeerAdmission.h"

#include <QTest>

using namespace skiff;
using namespace skiff::cluster;

namespace {
Hello hello(uint64_t from, std::string token = {})
{
    Hello h;
    h.set_from_node(from);
    h.set_join_token(std::move(token));
    return h;
}

PeerFrame raftFrom(uint64_t from)
{
    PeerFrame f;
    f.mutable_raft()->set_from(from);
    f.mutable_raft()->set_to(1);
    return f;
}

raft::ConfState voters123()
{
    raft::ConfState cs;
    for (uint64_t id : {1, 2, 3})
        cs.add_voters(id);
    cs.add_learners(5);
    return cs;
}

bool says(const Status &s, const std::string &text)
{
    return !s.isOk() && s.message().find(text) != std::string::npos;
}
} // namespace

class PeerAdmissionTest : public QObject {
    Q_OBJECT
private slots:
    void membersAreAdmittedAndOthersAreRefusedWithTheWayIn()
    {
        const raft::ConfState cs = voters123();
        PeerAdmission admission(1, "", &cs);
        QVERIFY(admission.admitLink(hello(2)).isOk());
        QVERIFY(admission.admitLink(hello(5)).isOk());   // a learner
        const Status s = admission.admitLink(hello(99));
        QVERIFY2(says(s, "node 99 is not a member of this cluster (voters 1,2,3, learners 5)"), s.message().c_str());
        QVERIFY2(says(s, "skiffctl add-node 99"), s.message().c_str());
        // No token configured: presenting one does not help.
        QVERIFY(!admission.admitLink(hello(99, "anything")).isOk());
    }

    void aJoinerNeedsTheRightToken()
    {
        const raft::ConfState cs = voters123();
        PeerAdmission admission(1, "s3cret", &cs);
        QVERIFY(says(admission.admitLink(hello(99)), "presented no cluster.join.token"));
        QVERIFY(says(admission.admitLink(hello(99, "s3creT")), "wrong cluster.join.token"));
        QVERIFY(says(admission.admitLink(hello(99, "s3cret-and-more")), "wrong cluster.join.token"));
        QVERIFY(says(admission.admitFrame(99, raftFrom(99)), "its frames are refused"));
        QVERIFY(admission.admitLink(hello(99, "s3cret")).isOk());
        PeerFrame join;
        join.mutable_join_request()->set_node_id(99);
        QVERIFY(admission.admitFrame(99, join).isOk());
        QVERIFY(admission.admitFrame(99, raftFrom(99)).isOk());   // a member we have not learned of yet
    }

    void framesSpeakOnlyForTheirLink()
    {
        const raft::ConfState cs = voters123();
        PeerAdmission admission(1, "", &cs);
        QVERIFY(admission.admitFrame(2, raftFrom(2)).isOk());
        QVERIFY(says(admission.admitFrame(2, raftFrom(3)), "a raft message from node 3 arrived on the link of node 2"));
        QVERIFY(says(admission.admitFrame(99, raftFrom(99)), "node 99 is not a member"));
        PeerFrame join;
        join.mutable_join_request()->set_node_id(3);
        QVERIFY(says(admission.admitFrame(2, join), "join request for node 3 arrived on the link of node 2"));
        PeerFrame heartbeat;
        heartbeat.mutable_broker_heartbeat()->set_broker_id(3);
        QVERIFY(says(admission.admitFrame(2, heartbeat), "heartbeat of broker 3 arrived on the link of node 2"));
        // The link a joiner dials by address (node 0) carries only the join reply.
        PeerFrame reply;
        reply.mutable_join_reply()->set_accepted(true);
        QVERIFY(admission.admitFrame(0, reply).isOk());
        QVERIFY(!admission.admitFrame(0, raftFrom(0)).isOk());
    }

    void aNodeThatKnowsNoConfigurationYetAdmitsItsCluster()
    {
        const raft::ConfState empty;
        PeerAdmission admission(4, "s3cret", &empty);
        QVERIFY(admission.admitLink(hello(1)).isOk());
        QVERIFY(admission.admitFrame(1, raftFrom(1)).isOk());
    }

    void aRemovedMemberIsRefused()
    {
        raft::ConfState cs = voters123();
        PeerAdmission admission(1, "", &cs);
        QVERIFY(admission.admitFrame(3, raftFrom(3)).isOk());
        cs.clear_voters();
        cs.add_voters(1);
        cs.add_voters(2);
        QVERIFY(says(admission.admitFrame(3, raftFrom(3)), "node 3 is not a member"));
        QVERIFY(!admission.admitLink(hello(3)).isOk());
    }
};

QTEST_GUILESS_MAIN(PeerAdmissionTest)
#include "PeerAdmissionTest.moc"
