package org.modkv.api.storage;

import java.io.IOException;
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
}
