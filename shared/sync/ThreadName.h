#pragma once
// Names the calling thread in lock statistics, witness and watchdog reports. Without it the OS
// thread name is used (QThread sets it from objectName(); pthread_setname_np works too).

#include <string>

namespace skiff::sync {

void setCurrentThreadName(std::string name);
// The name reports use for the calling thread, e.g. "ready-loop [tid 4242]".
std::string currentThreadDisplayName();

} // namespace skiff::sync
