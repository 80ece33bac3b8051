package org.modkv.node.config;

import java.util.List;
import java.util.Optional;
import org.modkv.api.PluginKind;

/**
 * The plugins this project ships, so that a node whose config names one that is not installed
 * can say where it comes from. A chosen-plugin distribution (docs/writing-a-plugin.md,
 * "Choosing plugins") may leave any of them out.
 */
final class BundledPlugins {
    /** One shipped plugin: its config name, its module and its directory under plugins/. */
    record Bundled(PluginKind kind, String name, String module, String directory) {
    }

    private static final List<Bundled> ALL = List.of(
            new Bundled(PluginKind.STORAGE, "wal", "org.modkv.storage.wal", "storage-wal"),
            new Bundled(PluginKind.STORAGE, "perkey", "org.modkv.storage.perkey", "storage-perkey"),
            new Bundled(PluginKind.REPLICATION, "raft", "org.modkv.replication.raft", "replication-raft"),
            new Bundled(PluginKind.INDEX, "fulltext", "org.modkv.index.fulltext", "index-fulltext"),
            new Bundled(PluginKind.INDEX, "tfidf", "org.modkv.index.tfidf", "index-tfidf"),
            new Bundled(PluginKind.TRANSPORT, "tcp", "org.modkv.transport.tcp", "transport-tcp"),
            new Bundled(PluginKind.TRANSPORT, "resp", "org.modkv.transport.resp", "transport-resp"));

    private BundledPlugins() {
    }

    /** Where the shipped plugin {@code name} of {@code kind} would come from, if it is one. */
    static Optional<String> whereToGet(PluginKind kind, String name) {
        return ALL.stream().filter(b -> b.kind() == kind && b.name().equals(name)).findFirst()
                .map(b -> kind.label() + " plugin '" + name + "' is not installed; it is the module " + b.module()
                        + ", in the full distribution or in a plugin directory plugins/" + b.directory());
    }
}
