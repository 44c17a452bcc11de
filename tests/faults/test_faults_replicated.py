"""ctest faults_faults_replicated: the fault run at replication factor 3 (test_faults.ReplicatedFaultRunTest).
DISABLED in tests/faults/CMakeLists.txt until partition replication (issue #15) lands."""
from test_faults import ReplicatedFaultRunTest  # noqa: F401  (unittest runs the class found here)
