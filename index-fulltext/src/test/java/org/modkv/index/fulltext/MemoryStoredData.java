package org.modkv.index.fulltext;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/** Storage for index tests: a sorted map of keys (unsigned byte order) to values; thread-safe. */
final class MemoryStoredData implements StoredData {
    private final ConcurrentSkipListMap<byte[], byte[]> data = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
    private volatile long lastSequence;

    /** Applies {@code batch} as storage would, and records {@code sequence}. */
    void write(long sequence, WriteBatch batch) {
        batch.mutations().forEach(m -> {
            switch (m.type()) {
                case PUT -> data.put(m.key(), m.value());
                case DELETE -> data.remove(m.key());
                default -> throw new IllegalStateException("unexpected " + m.type());
            }
        });
        lastSequence = sequence;
    }

    Map<byte[], byte[]> view() {
        return data;
    }

    @Override
    public Optional<StoredRecord> get(byte[] key) {
        byte[] value = data.get(key);
        return value == null ? Optional.empty() : Optional.of(new StoredRecord(key.clone(), value.clone(), null));
    }

    @Override
    public void scan(Consumer<StoredRecord> visitor) {
        data.forEach((key, value) -> visitor.accept(new StoredRecord(key.clone(), value.clone(), null)));
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }
}
