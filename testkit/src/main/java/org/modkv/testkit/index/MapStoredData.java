package org.modkv.testkit.index;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import org.modkv.api.index.StoredData;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/**
 * {@link StoredData} over an in-memory sorted map, for index tests: the test applies each batch
 * here (as storage would) and to the index under test, and this map is the oracle's truth.
 * Thread-safe; a scan is weakly consistent, like a storage engine's.
 */
public final class MapStoredData implements StoredData {
    private final ConcurrentSkipListMap<byte[], StoredRecord> records = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);
    private volatile long lastSequence;

    /** Applies {@code batch} as storage would at {@code sequence} (entries in order). */
    public synchronized void apply(long sequence, WriteBatch batch) {
        batch.forEach((type, buf, ko, kl, vo, vl, mo, ml) -> {
            byte[] key = Arrays.copyOfRange(buf, ko, ko + kl);
            if (type == MutationType.PUT) {
                records.put(key, new StoredRecord(key, Arrays.copyOfRange(buf, vo, vo + vl),
                        Arrays.copyOfRange(buf, mo, mo + ml)));
            } else {
                records.remove(key);
            }
        });
        lastSequence = Math.max(lastSequence, sequence);
    }

    /** Replaces everything (as a snapshot install would) and sets the last sequence. */
    public synchronized void replace(Map<byte[], byte[]> content, long sequence) {
        records.clear();
        content.forEach((key, value) -> records.put(key.clone(), new StoredRecord(key.clone(), value.clone(), null)));
        lastSequence = sequence;
    }

    /** Key to value, in key order (unsigned bytes); a copy. */
    public Map<byte[], byte[]> contents() {
        Map<byte[], byte[]> out = new LinkedHashMap<>();
        records.forEach((key, record) -> out.put(key, record.value()));
        return out;
    }

    @Override
    public Optional<StoredRecord> get(byte[] key) {
        return Optional.ofNullable(records.get(key));
    }

    @Override
    public void scan(Consumer<StoredRecord> visitor) {
        records.values().forEach(visitor);
    }

    @Override
    public long lastSequence() {
        return lastSequence;
    }
}
