// The collections (ServerCollection) run side by side: their tests mostly wait on nodes, PostgreSQL and the network.
// No thread limit: a test blocked in a synchronous wait (a process exit, a socket) must not hold up another collection.
[assembly: CollectionBehavior(MaxParallelThreads = -1)]
