package org.modkv.node.pipeline;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.StoredRecord;

/**
 * The stored data one catch-up reads: counts the records it scans (for the progress log) and
 * stops the scan when the node shuts down, so closing never waits for a whole rebuild.
 */
final class ResyncSource implements StoredData {
    private final StoredData data;
    private final BooleanSupplier cancelled;
    private long scanned;

    ResyncSource(StoredData data, BooleanSupplier cancelled) {
        this.data = data;
        this.cancelled = cancelled;
    }

    @Override
    public Optional<StoredRecord> get(byte[] key) throws IOException {
        return data.get(key);
    }

    @Override
    public void scan(Consumer<StoredRecord> visitor) throws IOException {
        data.scan(record -> {
            if ((scanned & 1023) == 0 && cancelled.getAsBoolean()) {
                throw new CancellationException("the node is shutting down");
            }
            scanned++;
            visitor.accept(record);
        });
    }

    @Override
    public long lastSequence() {
        return data.lastSequence();
    }

    /** Records the scans visited so far. */
    long scanned() {
        return scanned;
    }
}
