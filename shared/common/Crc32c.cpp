#include "common/Crc32c.h"

#include <array>
#include <cstring>

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace skiff {
namespace {

constexpr uint32_t kPolynomial = 0x82F63B78u; // reflected Castagnoli

// Slice-by-8 tables for machines without the SSE4.2 crc32 instruction.
struct Tables {
    std::array<std::array<uint32_t, 256>, 8> t{};
    constexpr Tables()
    {
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
            t[0][i] = c;
        }
        for (uint32_t i = 0; i < 256; ++i)
            for (size_t s = 1; s < 8; ++s)
                t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xff];
    }
};
constexpr Tables kTables;

uint32_t crc32cSoftware(uint32_t crc, const unsigned char *p, size_t n)
{
    const auto &t = kTables.t;
    while (n >= 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        word ^= crc;
        crc = t[7][word & 0xff] ^ t[6][(word >> 8) & 0xff] ^ t[5][(word >> 16) & 0xff]
            ^ t[4][(word >> 24) & 0xff] ^ t[3][(word >> 32) & 0xff] ^ t[2][(word >> 40) & 0xff]
            ^ t[1][(word >> 48) & 0xff] ^ t[0][word >> 56];
        p += 8;
        n -= 8;
    }
    while (n--)
        crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return crc;
}

#if defined(__x86_64__)
// The crc32 instruction takes three cycles and can start one per cycle: one dependent chain uses
// a third of it. Long buffers (Kafka batches are tens of KiB) are cut in three blocks whose CRCs
// run side by side; the first two are then moved past the blocks after them by a "shift over L
// zero bytes" operator, which is linear and so a table lookup per byte of the CRC.
constexpr size_t kLongBlock = 8192;
constexpr size_t kShortBlock = 256;

__attribute__((target("sse4.2"))) uint64_t crc32cSerial(uint64_t c, const unsigned char *p, size_t n)
{
    while (n >= 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
        p += 8;
        n -= 8;
    }
    auto c32 = static_cast<uint32_t>(c);
    while (n--)
        c32 = _mm_crc32_u8(c32, *p++);
    return c32;
}

struct ZeroShift {
    std::array<std::array<uint32_t, 256>, 4> t{};
    explicit ZeroShift(size_t length)
    {
        static const std::array<unsigned char, kLongBlock> zeros{};
        for (uint32_t k = 0; k < 4; ++k)
            for (uint32_t v = 0; v < 256; ++v)
                t[k][v] = static_cast<uint32_t>(crc32cSerial(uint64_t(v) << (8 * k), zeros.data(), length));
    }
    uint32_t operator()(uint32_t crc) const
    {
        return t[0][crc & 0xff] ^ t[1][(crc >> 8) & 0xff] ^ t[2][(crc >> 16) & 0xff] ^ t[3][crc >> 24];
    }
};

// Takes whole runs of three blocks off the front of [p, p + n).
__attribute__((target("sse4.2"))) uint64_t crc32cInterleaved(uint64_t c0, const unsigned char *&p, size_t &n, size_t block,
                                                              const ZeroShift &shift)
{
    while (n >= 3 * block) {
        uint64_t c1 = 0, c2 = 0;
        for (const unsigned char *end = p + block; p < end; p += 8) {
            uint64_t w0, w1, w2;
            std::memcpy(&w0, p, 8);
            std::memcpy(&w1, p + block, 8);
            std::memcpy(&w2, p + 2 * block, 8);
            c0 = _mm_crc32_u64(c0, w0);
            c1 = _mm_crc32_u64(c1, w1);
            c2 = _mm_crc32_u64(c2, w2);
        }
        c0 = shift(static_cast<uint32_t>(c0)) ^ c1;
        c0 = shift(static_cast<uint32_t>(c0)) ^ c2;
        p += 2 * block;
        n -= 3 * block;
    }
    return c0;
}

__attribute__((target("sse4.2"))) uint32_t crc32cHardware(uint32_t crc, const unsigned char *p, size_t n)
{
    static const ZeroShift longShift(kLongBlock);
    static const ZeroShift shortShift(kShortBlock);
    uint64_t c = crc32cInterleaved(crc, p, n, kLongBlock, longShift);
    c = crc32cInterleaved(c, p, n, kShortBlock, shortShift);
    return static_cast<uint32_t>(crc32cSerial(c, p, n));
}

bool hasHardwareCrc()
{
    static const bool has = __builtin_cpu_supports("sse4.2");
    return has;
}
#endif

} // namespace

uint32_t crc32cPortable(uint32_t crc, const void *data, size_t size)
{
    return ~crc32cSoftware(~crc, static_cast<const unsigned char *>(data), size);
}

uint32_t crc32c(uint32_t crc, const void *data, size_t size)
{
    const auto *p = static_cast<const unsigned char *>(data);
    crc = ~crc;
#if defined(__x86_64__)
    if (hasHardwareCrc())
        return ~crc32cHardware(crc, p, size);
#endif
    return ~crc32cSoftware(crc, p, size);
}

} // namespace skiff
