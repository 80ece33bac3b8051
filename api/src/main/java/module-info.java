/**
 * The modkv plugin SPI: the contracts between the kernel ({@code org.modkv.node}) and the
 * storage, replication, index and transport plugins.
 *
 * <p>This module depends on the JDK only, on purpose: a plugin author compiles against this
 * jar (and {@code org.modkv.testkit} for tests) and nothing else.
 */
module org.modkv.api {
    exports org.modkv.api;
    exports org.modkv.api.config;
    exports org.modkv.api.time;
    exports org.modkv.api.storage;
    exports org.modkv.api.kv;
    exports org.modkv.api.replication;
    exports org.modkv.api.index;
    exports org.modkv.api.transport;
}
