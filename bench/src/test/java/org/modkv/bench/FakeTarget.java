package org.modkv.bench;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.modkv.client.KeyValue;

/**
 * A target that answers every request at once, on the caller's thread, without allocating:
 * for driving load clients in tests. Gets find a value unless {@link #missing} is set.
 */
class FakeTarget implements KeyValueTarget {
    final AtomicLong gets = new AtomicLong();
    final AtomicLong puts = new AtomicLong();
    final AtomicLong bulks = new AtomicLong();
    final AtomicLong searches = new AtomicLong();
    volatile boolean missing;

    @Override
    public void get(byte[] key, Completion done) {
        gets.incrementAndGet();
        done.succeeded(!missing);
    }

    @Override
    public void put(byte[] key, byte[] value, Completion done) {
        puts.incrementAndGet();
        done.succeeded(true);
    }

    @Override
    public void bulkPut(List<KeyValue> entries, Completion done) {
        bulks.incrementAndGet();
        done.succeeded(true);
    }

    @Override
    public void search(SearchWord word, Completion done) {
        searches.incrementAndGet();
        done.succeeded(true);
    }

    long requests() {
        return gets.get() + puts.get() + bulks.get() + searches.get();
    }

    @Override
    public String address() {
        return "fake:1";
    }

    @Override
    public void close() {
    }
}
