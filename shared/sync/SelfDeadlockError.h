#pragma once
// Thrown by a tracked lock acquisition that would deadlock on itself, only when the witness
// action is WitnessAction::Throw (tests). Production logs and blocks; fatal mode aborts.

#include <stdexcept>
#include <string>

namespace skiff::sync {

class SelfDeadlockError : public std::logic_error {
public:
    explicit SelfDeadlockError(const std::string &what) : std::logic_error(what) {}
};

} // namespace skiff::sync
