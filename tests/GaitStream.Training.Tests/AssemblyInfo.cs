// Torch's random generator and thread pool are process-wide: tests that seed it and compare loss curves must not
// interleave with other torch tests, and on a two-core machine running them one at a time is no slower.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
