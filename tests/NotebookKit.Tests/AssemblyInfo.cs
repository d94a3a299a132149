// The tests run one at a time. TorchSharp 0.107 crashed the test host (native fault, seen 2 runs in 5) when
// two test classes built and filled models on two threads at once (kaiming_normal_ in one thread while
// copy_ ran in another); the kit itself drives torch from one thread per model.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
