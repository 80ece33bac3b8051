package org.modkv.api.replication;

import java.io.IOException;
import org.modkv.api.Plugin;
import org.modkv.api.PluginKind;

/**
 * A replication plugin; {@code standalone} is built into the kernel.
 *
 * <p>Ownership: the kernel opens the storage engine, hands it over in the context and closes
 * it after the {@link Replication} it got from {@link #start}; the replication must not close
 * the engine. Threading: {@link #start} is called once, from the node's start-up thread, after
 * the storage engine, the indexes and the transports (which answer {@code UNAVAILABLE} until the
 * node is ready), so that it can use a transport's peer network.
 */
public interface ReplicationProvider extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.REPLICATION;
    }

    /**
     * Starts replication over an open storage engine.
     *
     * @throws IOException if its own files (a log, a snapshot) cannot be opened or are damaged,
     *     or a listen address cannot be bound; the message names the file or the address. The
     *     node then stops with that message.
     */
    Replication start(ReplicationContext context) throws IOException;
}
