#pragma once
// splitmix64: tiny and fully specified, so a seed gives the same sequence on every platform and
// compiler (std:: distributions are not portable). Used for election timeouts and by the simulator.

#include <cstdint>

namespace skiff::raft {

class Rng {
public:
    explicit Rng(uint64_t seed = 0) : m_state(seed) {}

    uint64_t next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n), n > 0. Modulo bias is irrelevant for timeouts and fault injection.
    uint64_t uniform(uint64_t n) { return next() % n; }
    // True with probability p.
    bool chance(double p) { return double(next() >> 11) * (1.0 / 9007199254740992.0) < p; }

private:
    uint64_t m_state;
};

} // namespace skiff::raft
