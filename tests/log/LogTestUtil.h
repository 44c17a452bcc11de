#pragma once
// Helpers shared by the log tests.

#include "log/RecordBatch.h"
#include "log/RecordBatchBuilder.h"

#include <QByteArray>
#include <fstream>
#include <sstream>
#include <string>

namespace skiff::log::test {

// A batch of `count` records "k<i>"/"v<i>" padded to roughly `valueSize` bytes each.
inline std::string makeBatch(int count, int64_t timestampMs, size_t valueSize = 16, int64_t producerId = -1,
                             int16_t epoch = -1, int32_t baseSequence = -1)
{
    RecordBatchBuilder b;
    if (producerId >= 0)
        b.setProducer(producerId, epoch, baseSequence);
    for (int i = 0; i < count; ++i) {
        std::string value = "v" + std::to_string(i);
        value.resize(std::max(value.size(), valueSize), 'x');
        b.add("k" + std::to_string(i), value, timestampMs + i);
    }
    return b.build();
}

inline std::string readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void writeFile(const std::string &path, const std::string &bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
}

inline std::string segmentName(int64_t base, const char *ext)
{
    char name[40];
    std::snprintf(name, sizeof name, "%020lld%s", static_cast<long long>(base), ext);
    return name;
}

} // namespace skiff::log::test
