package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;

/**
 * Opens the channels segment files are written through. The engine uses
 * {@link #DEFAULT}; tests pass one that injects write and fsync failures.
 */
@FunctionalInterface
interface ChannelOpener {
    ChannelOpener DEFAULT = FileChannel::open;

    FileChannel open(Path path, Set<? extends OpenOption> options) throws IOException;
}
