package org.modkv.api.kv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

/**
 * Decides conditional writes for a replication that orders all writes itself (standalone under
 * its lock, Raft in log order): checks the conditions against the keys as the writes decided
 * before it left them, and stamps every put with its version (the write's revision) and expiry.
 *
 * <p>Storage reflects a write only once it completes, and writes are handed to it before earlier
 * ones complete, so the decider remembers the keys of writes it decided that have not completed
 * yet (one small entry per key in flight) and answers from them first. The caller reports each
 * completion with {@link #completed}. Thread-safe.
 */
public final class WriteDecider {
    /** Reads a key as storage holds it. */
    @FunctionalInterface
    public interface KeyReader {
        Optional<StoredRecord> get(byte[] key) throws IOException;
    }

    /** A decided write's effect on one key, until storage has it: its header, or null if deleted. */
    private record InFlight(RecordHeader header, long revision) {
    }

    private final KeyReader storage;
    private final Map<ByteBuffer, InFlight> inFlight = new HashMap<>();
    private final Map<Long, List<ByteBuffer>> keysByRevision = new HashMap<>();

    public WriteDecider(KeyReader storage) {
        this.storage = storage;
    }

    /**
     * The batch to hand to storage, its puts stamped with {@code revision} as their version, or
     * {@code null} when a condition does not hold (then nothing is remembered and nothing must be
     * written). Revisions must grow with every call.
     *
     * @param nowMillis the time against which expiry is judged (a key past its expiry is absent)
     * @throws IOException if storage cannot read a compared key
     */
    public synchronized WriteBatch decide(ConditionalWrite write, long revision, long nowMillis) throws IOException {
        for (Condition condition : write.conditions()) {
            if (!condition.holdsFor(stored(condition.key()), nowMillis)) {
                return null;
            }
        }
        WriteBatch source = write.batch();
        WriteBatch stamped = new WriteBatch(source.encodedLength() + source.size() * RecordHeader.BYTES);
        List<ByteBuffer> keys = new ArrayList<>(source.size());
        source.forEach((type, buffer, ko, kl, vo, vl, mo, ml) -> {
            ByteBuffer key = ByteBuffer.wrap(Arrays.copyOfRange(buffer, ko, ko + kl));
            keys.add(key);
            if (type == MutationType.PUT) {
                byte[] metadata = Arrays.copyOfRange(buffer, mo, mo + ml);
                RecordHeader header = new RecordHeader(revision, RecordHeader.of(metadata).expiresAtMillis());
                byte[] stampedMetadata = header.encode(RecordHeader.pluginBytes(metadata));
                stamped.add(type, buffer, ko, kl, buffer, vo, vl, stampedMetadata, 0, stampedMetadata.length);
                inFlight.put(key, new InFlight(header, revision));
            } else {
                stamped.add(type, buffer, ko, kl, null, 0, 0, buffer, mo, ml);
                inFlight.put(key, new InFlight(null, revision));
            }
        });
        keysByRevision.put(revision, keys);
        return stamped;
    }

    /** The write decided with {@code revision} has completed (or failed): storage answers for its keys now. */
    public synchronized void completed(long revision) {
        List<ByteBuffer> keys = keysByRevision.remove(revision);
        if (keys == null) {
            return;
        }
        for (ByteBuffer key : keys) {
            InFlight entry = inFlight.get(key);
            if (entry != null && entry.revision() == revision) {
                inFlight.remove(key);
            }
        }
    }

    /** Forgets every write in flight (storage was replaced by a snapshot). */
    public synchronized void reset() {
        inFlight.clear();
        keysByRevision.clear();
    }

    /** The key's header as decided writes leave it, or {@code null} when absent or expired. */
    public synchronized RecordHeader current(byte[] key, long nowMillis) throws IOException {
        RecordHeader header = stored(key);
        return header == null || header.expiredAt(nowMillis) ? null : header;
    }

    /** The key's header as decided writes leave it, expired or not; {@code null} when absent. */
    private RecordHeader stored(byte[] key) throws IOException {
        InFlight entry = inFlight.get(ByteBuffer.wrap(key));
        if (entry != null) {
            return entry.header();
        }
        return storage.get(key).map(RecordHeader::of).orElse(null);
    }

    /** Writes decided and not yet completed, for stats and tests. */
    public synchronized int inFlightWrites() {
        return keysByRevision.size();
    }

}
