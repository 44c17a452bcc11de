#include "common/Status.h"

#include <cerrno>
#include <cstring>

namespace skiff {

const char *statusCodeName(StatusCode code)
{
    switch (code) {
    case StatusCode::Ok: return "OK";
    case StatusCode::InvalidArgument: return "Invalid argument";
    case StatusCode::NotFound: return "Not found";
    case StatusCode::AlreadyExists: return "Already exists";
    case StatusCode::Corruption: return "Corruption";
    case StatusCode::IoError: return "I/O error";
    case StatusCode::Unavailable: return "Unavailable";
    case StatusCode::OutOfRange: return "Out of range";
    case StatusCode::FailedPrecondition: return "Failed precondition";
    case StatusCode::Internal: return "Internal error";
    }
    return "Unknown status";
}

std::string Status::toString() const
{
    if (isOk())
        return "OK";
    return std::string(statusCodeName(m_code)) + ": " + m_message;
}

Status Status::withContext(const std::string &context) const
{
    if (isOk())
        return *this;
    return Status(m_code, context + ": " + m_message);
}

Status ioErrorFromErrno(const std::string &what)
{
    const int err = errno;
    return ioError(what + ": " + std::strerror(err));
}

} // namespace skiff
