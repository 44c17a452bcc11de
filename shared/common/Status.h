#pragma once
// Errors are values. A Status is either ok or carries a code and a message written for an
// operator: say what failed, on what (file, offset, address, key), and what to do if anything.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace skiff {

enum class StatusCode {
    Ok = 0,
    InvalidArgument,   // the caller's input is wrong (bad config key, illegal topic name)
    NotFound,
    AlreadyExists,
    Corruption,        // bytes on disk or on the wire fail a check (CRC, framing)
    IoError,           // the operating system refused (open, write, fsync)
    Unavailable,       // try again later (no leader yet, loading)
    OutOfRange,
    FailedPrecondition,
    Internal,          // a bug: an invariant of ours does not hold
};

const char *statusCodeName(StatusCode code);

class [[nodiscard]] Status {
public:
    Status() = default;
    Status(StatusCode code, std::string message) : m_code(code), m_message(std::move(message)) {}

    static Status ok() { return {}; }

    bool isOk() const { return m_code == StatusCode::Ok; }
    explicit operator bool() const { return isOk(); }
    StatusCode code() const { return m_code; }
    const std::string &message() const { return m_message; }
    // "Corruption: segment 00000000000000000000.log offset 4711: batch CRC mismatch"
    std::string toString() const;

    // Adds context in front of the message: status.withContext("opening partition t-0").
    Status withContext(const std::string &context) const;

private:
    StatusCode m_code = StatusCode::Ok;
    std::string m_message;
};

inline Status invalidArgument(std::string m) { return {StatusCode::InvalidArgument, std::move(m)}; }
inline Status notFound(std::string m) { return {StatusCode::NotFound, std::move(m)}; }
inline Status alreadyExists(std::string m) { return {StatusCode::AlreadyExists, std::move(m)}; }
inline Status corruption(std::string m) { return {StatusCode::Corruption, std::move(m)}; }
inline Status ioError(std::string m) { return {StatusCode::IoError, std::move(m)}; }
inline Status unavailable(std::string m) { return {StatusCode::Unavailable, std::move(m)}; }
inline Status outOfRange(std::string m) { return {StatusCode::OutOfRange, std::move(m)}; }
inline Status failedPrecondition(std::string m) { return {StatusCode::FailedPrecondition, std::move(m)}; }
inline Status internalError(std::string m) { return {StatusCode::Internal, std::move(m)}; }

// IoError with strerror(errno) appended: ioErrorFromErrno("fsync " + path).
Status ioErrorFromErrno(const std::string &what);

// Result<T>: a value or a non-ok Status.
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Status status) : m_value(std::move(status)) { assert(!std::get<Status>(m_value).isOk()); }

    bool isOk() const { return std::holds_alternative<T>(m_value); }
    explicit operator bool() const { return isOk(); }

    T &value() & { return std::get<T>(m_value); }
    const T &value() const & { return std::get<T>(m_value); }
    T &&value() && { return std::get<T>(std::move(m_value)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    Status status() const { return isOk() ? Status::ok() : std::get<Status>(m_value); }

private:
    std::variant<T, Status> m_value;
};

} // namespace skiff

// Early return of a non-ok Status from a function returning Status or Result<T>.
#define SKIFF_RETURN_IF_ERROR(expr)                                                                \
    do {                                                                                           \
        ::skiff::Status skiffStatus_ = (expr);                                                     \
        if (!skiffStatus_.isOk())                                                                  \
            return skiffStatus_;                                                                   \
    } while (false)
