package org.modkv.api.index;

import org.modkv.api.PluginContext;

/** What the kernel gives an index when it opens it: the plugin context and the stored data. */
public interface IndexContext extends PluginContext {

    /** The node's live data, read-only. */
    StoredData storedData();
}
