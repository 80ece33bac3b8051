package org.modkv.api.index;

import java.io.IOException;
import org.modkv.api.Plugin;
import org.modkv.api.PluginKind;

/**
 * An index plugin. Queries reach it by its {@link #name()}: a client asks index
 * {@code fulltext} for {@code search}.
 */
public interface IndexProvider extends Plugin {

    @Override
    default PluginKind kind() {
        return PluginKind.INDEX;
    }

    /**
     * Opens the index; the kernel then brings it up to date with storage ({@link Index#resync}
     * unless {@link Index#appliedSequence()} is storage's last sequence already). Called once per
     * index from the node's start-up thread; the kernel closes the returned {@link Index} at
     * shutdown.
     *
     * @throws IOException if the index's files cannot be opened or are damaged (the message
     *     names the file); the node then stops with that message
     */
    Index open(IndexContext context) throws IOException;
}
