/**
 * The modkv kernel: plugin discovery, config validation, the Dagger-built node, the request
 * pipeline, index feeding and the built-in {@code standalone} replication. Knows no plugin by
 * class: plugins are found through {@link java.util.ServiceLoader}.
 */
module org.modkv.node {
    requires transitive org.modkv.api;
    requires org.modkv.pluginloader;
    requires dagger;
    requires jakarta.inject;
    requires HdrHistogram;
    requires jdk.httpserver;

    exports org.modkv.node;

    uses org.modkv.api.storage.StorageProvider;
    uses org.modkv.api.replication.ReplicationProvider;
    uses org.modkv.api.index.IndexProvider;
    uses org.modkv.api.transport.TransportProvider;

    provides org.modkv.api.replication.ReplicationProvider
            with org.modkv.node.standalone.StandaloneReplicationProvider;
}
