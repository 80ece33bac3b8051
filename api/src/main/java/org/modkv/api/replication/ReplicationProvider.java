package org.modkv.api.replication;

import java.io.IOException;
import org.modkv.api.Plugin;
import org.modkv.api.PluginKind;

/** A replication plugin; {@code standalone} is built into the kernel. */
public interface ReplicationProvider extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.REPLICATION;
    }

    /** Starts replication over an open storage engine. */
    Replication start(ReplicationContext context) throws IOException;
}
