#pragma once

#include "common/Status.h"
#include "metadata/MetadataImage.h"
#include "metadata/PartitionChanges.h"

#include <vector>

namespace skiff::metadata {

class Command;

// What applying one command produced: a status for the proposer (a topic that already exists is
// a result, not a failure of the log; a non-ok status means nothing changed) and a value: for
// AllocateProducerIds the first id of the block, for AlterPartition its AlterPartitionOutcome,
// for ElectLeaders how many partitions got a new leader, for a refused AlterScramCredentials its
// ScramRefusal, for a refused AlterClientQuotas its ClientQuotaRefusal.
struct ApplyResult {
    Status status;
    uint64_t value = 0;
    // Partitions whose leader, ISR or recovery state the command changed (AlterPartition,
    // ElectLeaders, SetOfflineReplicas, and the elections and ISR removals of fence, unfence,
    // registration, removal and controlled shutdown), in topic-name and partition order.
    std::vector<ChangedPartition> changed;
};

// Applies committed commands, in log order, to the metadata image. Deterministic: every node
// applying the same commands reaches the same image. Owned by one thread.
class MetadataStateMachine {
public:
    MetadataStateMachine();

    ApplyResult apply(uint64_t index, const Command &command);
    // Starts over from a snapshot's image (its appliedIndex is the snapshot's index).
    void restore(ImagePtr image) { m_image = std::move(image); }
    // Takes the image as of the last apply, for publication.
    ImagePtr image() const { return m_image; }

private:
    ApplyResult applyTo(MetadataImage &next, uint64_t index, const Command &command);

    ImagePtr m_image;
};

} // namespace skiff::metadata
