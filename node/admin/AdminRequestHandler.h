#pragma once
// Answers one admin request. Reads are answered at once from the published status and image;
// mutations are posted to the raft thread (RaftController) and answered when its callback comes
// back to `owner`'s thread. Never blocks the admin thread's event loop.

#include "admin.pb.h"
#include "admin/AdminContext.h"
#include "common/Status.h"

#include <QObject>
#include <QString>

#include <functional>

namespace skiff::metadata {
struct MetadataImage;
}

namespace skiff::admin {

class AdminRequestHandler {
public:
    using Reply = std::function<void(Response)>;

    // `owner` lives on the admin thread; answers to a gone owner are dropped.
    AdminRequestHandler(const AdminContext &context, QObject *owner);

    // Checks the version, then answers `request` through `reply` (possibly later). What a
    // mutation must carry is the caller's to check first (AdminMutationGate). Subscribe and GetEvents are the caller's
    // too (they need the connection and the node's event ring): answered here only when refused.
    void handle(const Request &request, const QString &peer, const Reply &reply);

    Response statusResponse(uint64_t requestId) const;

    static Response errorResponse(uint64_t requestId, ErrorCode code, const std::string &message);
    // The answer to a mutation without what admin.mutation.auth asks; `missing` says what
    // (AdminMutationGate::refusal).
    static Response unauthorized(const Request &request, const std::string &missing);
    static ErrorCode errorCodeOf(StatusCode code);

private:
    Response answerRead(const Request &request) const;
    Response answerRead(const Request &request, const metadata::MetadataImage &image) const;
    static bool wantsLinearizable(const Request &request);
    void mutate(const Request &request, const Reply &reply);

    const AdminContext &m_context;
    QObject *m_owner;
};

} // namespace skiff::admin
