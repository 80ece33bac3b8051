package org.modkv.api.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.modkv.api.Plugin;
import org.modkv.api.PluginContext;
import org.modkv.api.PluginKind;

/**
 * A storage plugin: opens the engine that holds a node's keys. Declared in
 * {@code module-info} with {@code provides org.modkv.api.storage.StorageProvider with ...}.
 *
 * <p>Threading and ownership: the kernel calls {@link #open} once per node, from its start-up
 * thread, before anything else; the kernel owns the returned engine and closes it last, at
 * shutdown. The provider itself keeps no state and may be instantiated more than once.
 */
public interface StorageProvider extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.STORAGE;
    }

    /**
     * Opens (creating if needed) the engine under {@code context.dataDir()}, recovering what
     * is there. Returns only when the engine serves reads and writes.
     *
     * @throws IOException if the files cannot be read or are corrupt; the message names the
     *     file and offset, and the node does not start
     */
    StorageEngine open(PluginContext context) throws IOException;

    /**
     * Optional capability: checks, offline and without changing anything, every record and every
     * auxiliary file (hints, indexes) that an engine of this plugin keeps in {@code dir} (the
     * directory it was given as {@link PluginContext#dataDir()}), and reports damage by file and
     * byte offset. The caller makes sure no engine has {@code dir} open (the kernel holds the
     * node's data-directory lock while it runs this). The default has no check.
     *
     * @return the report, or empty if this plugin cannot check its files offline
     * @throws IOException if {@code dir} is not a directory of this plugin (the message says what
     *     was expected) or cannot be read
     */
    default Optional<StorageCheckReport> check(Path dir) throws IOException {
        return Optional.empty();
    }
}
