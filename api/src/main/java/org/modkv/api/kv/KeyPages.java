package org.modkv.api.kv;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.modkv.api.storage.WriteBatch;
import org.modkv.api.storage.StoredRecord;

/** Builds a {@link KeyPage} from keys in order and a way to read them. */
public final class KeyPages {
    private KeyPages() {
    }

    /**
     * The page of {@code range} from {@code keys} (every candidate key {@code >= range.start()}, in
     * unsigned byte order): each is read, absent and expired ones are skipped, until the range's
     * limit or end.
     *
     * @param nowMillis the time against which expiry is judged
     */
    public static KeyPage collect(KeyRange range, Iterator<byte[]> keys, WriteDecider.KeyReader reader, long nowMillis)
            throws IOException {
        List<KeyEntry> entries = new ArrayList<>(Math.min(range.limit(), 1024));
        while (keys.hasNext()) {
            byte[] key = keys.next();
            if (!range.beforeEnd(key)) {
                return new KeyPage(entries, null);
            }
            if (entries.size() == range.limit()) {
                return new KeyPage(entries, key);
            }
            Optional<StoredRecord> record = reader.get(key);
            if (record.isEmpty()) {
                continue; // deleted after the key list was taken
            }
            RecordHeader header = RecordHeader.of(record.get());
            if (header.expiredAt(nowMillis)) {
                continue;
            }
            entries.add(new KeyEntry(key, range.keysOnly() ? new byte[0] : record.get().value(), header.version(),
                    header.expiresAtMillis()));
        }
        return new KeyPage(entries, null);
    }

    /**
     * Deletes every key: reads pages of up to {@code pageSize} keys in order and deletes each page
     * with one batch, until no key is left; completes with the number deleted.
     */
    public static CompletableFuture<Long> deleteAll(Function<KeyRange, CompletableFuture<KeyPage>> range,
                                                    Function<WriteBatch, CompletableFuture<Void>> write, int pageSize) {
        return deletePages(range, write, new KeyRange(new byte[0], new byte[0], pageSize, true), 0);
    }

    private static CompletableFuture<Long> deletePages(Function<KeyRange, CompletableFuture<KeyPage>> range,
                                                       Function<WriteBatch, CompletableFuture<Void>> write,
                                                       KeyRange next, long deleted) {
        return range.apply(next).thenCompose(page -> {
            if (page.entries().isEmpty()) {
                return CompletableFuture.completedFuture(deleted);
            }
            WriteBatch batch = new WriteBatch();
            for (KeyEntry entry : page.entries()) {
                batch.delete(entry.key());
            }
            long total = deleted + page.entries().size();
            return write.apply(batch).thenCompose(done -> page.more()
                    ? deletePages(range, write, next.from(page.next()), total)
                    : CompletableFuture.completedFuture(total));
        });
    }
}
