package org.modkv.api.transport;

import java.io.IOException;
import org.modkv.api.Plugin;
import org.modkv.api.PluginKind;

/** A transport plugin: serves clients (and maybe peers) over some wire protocol. */
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
