// One in-process server (and one trained model) serves every test here; the machine may have few cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
