package org.modkv.node.runtime;

import org.modkv.api.PluginContext;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.StoredData;

/** An index plugin's context: the plugin basics plus read access to the node's live data. */
final class KernelIndexContext extends DelegatingPluginContext implements IndexContext {
    private final StoredData storedData;

    KernelIndexContext(PluginContext base, StoredData storedData) {
        super(base);
        this.storedData = storedData;
    }

    @Override
    public StoredData storedData() {
        return storedData;
    }
}
