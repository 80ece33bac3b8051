/**
 * Test support for modkv plugins: a real {@link org.modkv.api.PluginContext} for tests
 * ({@link org.modkv.testkit.TestPluginContext}) and the conformance suites ("TCK") every
 * plugin runs, e.g. {@link org.modkv.testkit.storage.StorageEngineContract} and
 * {@link org.modkv.testkit.storage.DurableLogContract}; for transports
 * {@link org.modkv.testkit.transport.TransportContract}, with a shared
 * {@link org.modkv.testkit.TestTransportContext} and
 * {@link org.modkv.testkit.transport.InMemoryRequestHandler}; for indexes
 * {@link org.modkv.testkit.index.IndexContract}, with {@link org.modkv.testkit.index.MapStoredData}.
 *
 * <p>JUnit 5 is required transitively: a plugin's test class extends a suite from here and
 * compiles against the JUnit annotations it carries.
 *
 * <p>{@link org.modkv.testkit.sim.Simulation} runs replication plugins deterministically on a
 * simulated clock, scheduler, network and storage, replayable from a seed.
 */
module org.modkv.testkit {
    requires transitive org.modkv.api;
    requires transitive org.modkv.pluginloader;
    requires transitive org.junit.jupiter.api;
    requires org.junit.jupiter.params;

    exports org.modkv.testkit;
    exports org.modkv.testkit.storage;
    exports org.modkv.testkit.index;
    exports org.modkv.testkit.crash;
    exports org.modkv.testkit.transport;
    exports org.modkv.testkit.sim;
    exports org.modkv.testkit.linearizability;
}
