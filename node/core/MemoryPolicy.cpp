#include "core/MemoryPolicy.h"

#include <malloc.h>

namespace skiff::core {

void keepFreedMemoryForReuse()
{
    // Setting either turns off glibc's dynamic thresholds, which start at 128 KiB and only grow
    // after a buffer has been mmapped and unmapped once.
    mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes);
    mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes);
}

} // namespace skiff::core
