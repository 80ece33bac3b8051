package org.modkv.api.transport;

import org.modkv.api.PluginContext;

/** What a transport works with. */
public interface TransportContext extends PluginContext {
    /** Where client requests go. */
    RequestHandler requests();
}
