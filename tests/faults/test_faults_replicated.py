"""ctest faults_faults_replicated: the fault run at replication factor 3 (test_faults.ReplicatedFaultRunTest)."""
from test_faults import ReplicatedFaultRunTest  # noqa: F401  (unittest runs the class found here)
