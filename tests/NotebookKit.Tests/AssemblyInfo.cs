// The tests run one at a time. Two test-host crashes were traced (core dumps) to tensors used from test code
// outside a dispose scope: a temporary that nothing references can be finalized while native code still uses
// it (SIGSEGV in copy_). Test helpers now scope their tensor work; serial runs keep any remaining case from
// racing a second thread, and make the timings of the heavy tests readable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
