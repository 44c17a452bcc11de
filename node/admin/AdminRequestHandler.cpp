#include "admin/AdminRequestHandler.h"

#include "admin/AclCommands.h"
#include "admin/AdminLog.h"
#include "admin/AdminProtocol.h"
#include "admin/AdminViews.h"
#include "admin/ScramUserCommands.h"
#include "admin/TopicCommands.h"
#include "cluster/RaftController.h"

#include <algorithm>
#include <memory>

namespace skiff::admin {
namespace {

Response okResponse(uint64_t requestId)
{
    Response r;
    r.set_protocol_version(kProtocolVersion);
    r.set_request_id(requestId);
    return r;
}

bool contains(const std::vector<uint64_t> &ids, uint64_t id) { return std::find(ids.begin(), ids.end(), id) != ids.end(); }

std::string idList(const std::vector<uint64_t> &ids)
{
    std::string out;
    for (uint64_t id : ids)
        out += (out.empty() ? "" : ",") + std::to_string(id);
    return out.empty() ? "none" : out;
}

// "user 'alice': SCRAM-SHA-256, SCRAM-SHA-512 set (4096 iterations)", or "... deleted".
std::string describeScramUserCommand(const metadata::AlterScramCredentials &alter)
{
    const bool set = alter.upsertions_size() > 0;
    std::string mechanisms;
    for (int i = 0; i < (set ? alter.upsertions_size() : alter.deletions_size()); ++i)
        mechanisms += std::string(mechanisms.empty() ? "" : ", ")
                      + std::string(metadata::scramMechanismName(*metadata::scramMechanismFromCode(
                          int8_t(set ? alter.upsertions(i).mechanism() : alter.deletions(i).mechanism()))));
    const std::string &user = set ? alter.upsertions(0).user() : alter.deletions(0).user();
    return set ? "user '" + user + "': " + mechanisms + " set (" + std::to_string(alter.upsertions(0).iterations()) + " iterations)"
               : "user '" + user + "': " + mechanisms + " deleted";
}

} // namespace

AdminRequestHandler::AdminRequestHandler(const AdminContext &context, QObject *owner) : m_context(context), m_owner(owner) {}

Response AdminRequestHandler::errorResponse(uint64_t requestId, ErrorCode code, const std::string &message)
{
    Response r = okResponse(requestId);
    r.set_error_code(code);
    r.set_error_message(message);
    return r;
}

Response AdminRequestHandler::unauthorized(const Request &request, const std::string &missing)
{
    return errorResponse(request.request_id(), ERROR_CODE_UNAUTHORIZED, missing);
}

ErrorCode AdminRequestHandler::errorCodeOf(StatusCode code)
{
    switch (code) {
    case StatusCode::Ok: return ERROR_CODE_NONE;
    case StatusCode::InvalidArgument:
    case StatusCode::OutOfRange:
    case StatusCode::FailedPrecondition: return ERROR_CODE_INVALID_REQUEST;
    case StatusCode::NotFound: return ERROR_CODE_NOT_FOUND;
    case StatusCode::AlreadyExists: return ERROR_CODE_ALREADY_EXISTS;
    case StatusCode::Unavailable: return ERROR_CODE_UNAVAILABLE;
    default: return ERROR_CODE_INTERNAL;
    }
}

Response AdminRequestHandler::statusResponse(uint64_t requestId) const
{
    Response r = okResponse(requestId);
    *r.mutable_status() = buildStatus(m_context, *m_context.controller->clusterStatus(), *m_context.controller->image());
    return r;
}

void AdminRequestHandler::handle(const Request &request, const QString &peer, const Reply &reply)
{
    const uint64_t id = request.request_id();
    if (request.protocol_version() != kProtocolVersion)
        return reply(errorResponse(id, ERROR_CODE_UNSUPPORTED_VERSION,
                                   "admin protocol version " + std::to_string(request.protocol_version()) +
                                       " is not supported; this node speaks version " + std::to_string(kProtocolVersion)));
    if (request.body_case() == Request::BODY_NOT_SET)
        return reply(errorResponse(id, ERROR_CODE_INVALID_REQUEST,
                                   "the request names no operation this node knows (a newer skiffctl?)"));
    if (isMutating(request)) {
        qCInfo(lcAdmin, "%s requested by %s", requestKindName(request), qPrintable(peer));
        return mutate(request, reply);
    }
    if (wantsLinearizable(request)) {
        // Confirmed with the leader first (ReadIndex on the raft thread), answered from the image
        // that holds everything committed before this request.
        return m_context.controller->linearizableRead(m_owner, [this, request, reply](Status s, metadata::ImagePtr image) {
            if (!s.isOk() || !image)
                return reply(errorResponse(request.request_id(), errorCodeOf(s.code()), s.message()));
            reply(answerRead(request, *image));
        });
    }
    reply(answerRead(request));
}

bool AdminRequestHandler::wantsLinearizable(const Request &request)
{
    switch (request.body_case()) {
    case Request::kListBrokers: return request.list_brokers().linearizable();
    case Request::kListTopics: return request.list_topics().linearizable();
    case Request::kDescribePartitions: return request.describe_partitions().linearizable();
    default: return false;
    }
}

Response AdminRequestHandler::answerRead(const Request &request) const
{
    return answerRead(request, *m_context.controller->image());
}

Response AdminRequestHandler::answerRead(const Request &request, const metadata::MetadataImage &imageRef) const
{
    const uint64_t id = request.request_id();
    const auto status = m_context.controller->clusterStatus();
    const metadata::MetadataImage *image = &imageRef;
    Response r = okResponse(id);
    switch (request.body_case()) {
    case Request::kGetStatus:
        *r.mutable_status() = buildStatus(m_context, *status, *image);
        break;
    case Request::kDescribeRaft:
        *r.mutable_raft() = describeRaft(*status, *image);
        break;
    case Request::kListBrokers:
        *r.mutable_brokers() = listBrokers(*status, *image);
        break;
    case Request::kListTopics:
        *r.mutable_topics() = listTopics(*image);
        break;
    case Request::kDescribePartitions: {
        const auto &names = request.describe_partitions().topics();
        const kafka::LedPartitions led =
            m_context.ledPartitions ? m_context.ledPartitions() : std::make_shared<const std::vector<kafka::LedPartition>>();
        auto partitions = describePartitions(*image, std::vector<std::string>(names.begin(), names.end()),
                                             m_context.nodeId, *led);
        if (!partitions.isOk())
            return errorResponse(id, errorCodeOf(partitions.status().code()), partitions.status().message());
        *r.mutable_partitions() = std::move(partitions.value());
        break;
    }
    case Request::kGetLockStats:
        *r.mutable_locks() = lockStats();
        break;
    case Request::kListScramUsers:
        *r.mutable_scram_users() = listScramUsers(*image);
        break;
    case Request::kListAcls: {
        auto acls = listAcls(*image, request.list_acls().filter());
        if (!acls.isOk())
            return errorResponse(id, errorCodeOf(acls.status().code()), acls.status().message());
        *r.mutable_acls() = std::move(acls.value());
        break;
    }
    case Request::kDescribeGroups: {
        const auto &names = request.describe_groups().groups();
        if (m_context.coordinatedGroups)
            *r.mutable_groups() = describeGroups(*m_context.coordinatedGroups(),
                                                 std::vector<std::string>(names.begin(), names.end()), m_context.nodeId);
        else
            r.mutable_groups();   // coordinates nothing
        break;
    }
    default:
        return errorResponse(id, ERROR_CODE_INTERNAL,
                             std::string("no read handler for ") + requestKindName(request) + " (a bug in skiffd)");
    }
    return r;
}

void AdminRequestHandler::mutate(const Request &request, const Reply &reply)
{
    const uint64_t id = request.request_id();
    const auto status = m_context.controller->clusterStatus();
    const auto image = m_context.controller->image();
    cluster::RaftController *controller = m_context.controller;
    auto fail = [&](ErrorCode code, const std::string &message) { reply(errorResponse(id, code, message)); };
    auto answerWith = [reply, id](std::string detail) {
        return [reply, id, detail = std::move(detail)](Status s) {
            if (!s.isOk())
                return reply(errorResponse(id, errorCodeOf(s.code()), s.message()));
            Response r = okResponse(id);
            r.mutable_done()->set_detail(detail);
            reply(r);
        };
    };
    auto answerApplied = [reply, id](std::string detail) {
        return [reply, id, detail = std::move(detail)](metadata::ApplyResult result) {
            if (!result.status.isOk())
                return reply(errorResponse(id, errorCodeOf(result.status.code()), result.status.message()));
            Response r = okResponse(id);
            r.mutable_done()->set_detail(detail);
            reply(r);
        };
    };

    switch (request.body_case()) {
    case Request::kTransferLeader: {
        const uint64_t to = request.transfer_leader().to();
        if (!contains(status->voters, to))
            return fail(ERROR_CODE_INVALID_REQUEST,
                        "node " + std::to_string(to) + " is not a voter (voters: " + idList(status->voters) + ")");
        if (status->leaderId == 0)
            return fail(ERROR_CODE_UNAVAILABLE, "no leader is known yet; retry once one is elected");
        if (status->leaderId == to)
            return fail(ERROR_CODE_INVALID_REQUEST, "node " + std::to_string(to) + " already leads (term " +
                                                        std::to_string(status->term) + ")");
        auto done = answerWith("leadership transfer from node " + std::to_string(status->leaderId) + " to node " +
                               std::to_string(to) + " started; status shows the new leader once it is elected");
        return controller->transferLeadership(to, m_owner, done);
    }
    case Request::kAddNode: {
        const uint64_t node = request.add_node().id();
        const std::string address = request.add_node().raft_address();
        if (node == 0 || address.empty() || address.find(':') == std::string::npos)
            return fail(ERROR_CODE_INVALID_REQUEST, "add_node needs a node id of 1 or more and its raft address as host:port");
        if (contains(status->voters, node) || contains(status->learners, node))
            return fail(ERROR_CODE_ALREADY_EXISTS, "node " + std::to_string(node) + " is already a member (voters: " +
                                                       idList(status->voters) + ", learners: " + idList(status->learners) + ")");
        auto done = answerWith("node " + std::to_string(node) + " at " + address +
                               " added as a learner; the leader promotes it to voter once it has caught up");
        return controller->addNode(node, address, m_owner, done);
    }
    case Request::kRemoveNode: {
        const uint64_t node = request.remove_node().id();
        if (!contains(status->voters, node) && !contains(status->learners, node))
            return fail(ERROR_CODE_NOT_FOUND, "node " + std::to_string(node) + " is not a member (voters: " +
                                                  idList(status->voters) + ", learners: " + idList(status->learners) + ")");
        if (status->voters.size() == 1 && contains(status->voters, node))
            return fail(ERROR_CODE_INVALID_REQUEST, "node " + std::to_string(node) + " is the only voter; a cluster needs one");
        auto done = answerWith("node " + std::to_string(node) + " removed from the cluster");
        return controller->removeNode(node, m_owner, done);
    }
    case Request::kCreateTopic: {
        const auto plan = metadata::planCreateTopic(*image, m_context.topicPolicy, newTopicOf(request.create_topic()));
        if (!plan.isOk())
            return fail(errorCodeOfRefusal(plan.refusal().reason), plan.refusal().message);
        const auto &create = plan.command().create_topic();
        const int rf = create.partitions_size() ? create.partitions(0).replicas_size() : 0;
        controller->submit(plan.command(), m_owner,
                           answerApplied("topic '" + create.name() + "' created with " +
                                         std::to_string(create.partitions_size()) + " partition(s), replication factor " +
                                         std::to_string(rf)));
        return;
    }
    case Request::kDeleteTopic: {
        auto command = buildDeleteTopic(*image, request.delete_topic());
        if (!command.isOk())
            return fail(errorCodeOf(command.status().code()), command.status().message());
        controller->submit(command.value(), m_owner, answerApplied("topic '" + request.delete_topic().name() + "' deleted"));
        return;
    }
    case Request::kElectLeaders: {
        const ElectLeaders &elect = request.elect_leaders();
        const auto type = elect.unclean() ? metadata::ELECTION_UNCLEAN : metadata::ELECTION_PREFERRED;
        auto plan = std::make_shared<metadata::ElectionPlan>(
            metadata::planElections(*image, type, electionTargets(*image, elect)));
        if (!plan->command)
            return reply(electionResponse(id, *plan));
        controller->submit(*plan->command, m_owner, [reply, id, plan, type, controller](metadata::ApplyResult r) {
            metadata::settleElections(*plan, *controller->image(), type, r.status);
            reply(electionResponse(id, *plan));
        });
        return;
    }
    case Request::kSetScramUser:
    case Request::kDeleteScramUser:
        // Built on the SCRAM worker (a password's PBKDF2 is slow by design), proposed from here.
        return buildScramUserCommand(request, image, m_owner,
                                     [reply, id, controller, owner = m_owner, answerApplied](Result<metadata::Command> command) {
            if (!command.isOk())
                return reply(errorResponse(id, errorCodeOf(command.status().code()), command.status().message()));
            controller->submit(command.value(), owner, answerApplied(describeScramUserCommand(command->alter_scram_credentials())));
        });
    case Request::kAddAcls:
    case Request::kRemoveAcls: {
        auto command = request.has_add_acls() ? buildAddAcls(request.add_acls()) : buildRemoveAcls(*image, request.remove_acls());
        if (!command.isOk())
            return fail(errorCodeOf(command.status().code()), command.status().message());
        controller->submit(command.value(), m_owner, answerApplied(describeAclAlteration(command->alter_acls())));
        return;
    }
    default:
        return fail(ERROR_CODE_INTERNAL, std::string("no mutation handler for ") + requestKindName(request) + " (a bug in skiffd)");
    }
}

} // namespace skiff::admin
