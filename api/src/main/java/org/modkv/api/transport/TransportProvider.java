package org.modkv.api.transport;

import java.io.IOException;
import org.modkv.api.Plugin;
import org.modkv.api.PluginKind;

/**
 * A transport plugin: serves clients (and maybe peers) over some wire protocol.
 *
 * <p>Threading: {@link #start} is called once per node, from the start-up thread, after storage
 * and indexes are up and before replication starts; the returned {@link Transport} runs on threads of its own and
 * is closed by the kernel at shutdown. It may call the context's {@code RequestHandler} from
 * any of its threads.
 */
public interface TransportProvider extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.TRANSPORT;
    }

    /**
     * Binds and starts serving. Requests that arrive before the node is fully up are answered
     * by the kernel with {@code UNAVAILABLE}.
     *
     * @throws IOException if the address cannot be bound (the message names it)
     */
    Transport start(TransportContext context) throws IOException;
}
