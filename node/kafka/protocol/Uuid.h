#pragma once
// Kafka UUIDs (topic ids) travel as 16 raw bytes; the all-zero value means "no id".

#include <array>
#include <cstdint>

namespace skiff::kafka {

using Uuid = std::array<uint8_t, 16>;

inline bool isZero(const Uuid &id)
{
    for (uint8_t b : id)
        if (b != 0)
            return false;
    return true;
}

} // namespace skiff::kafka
