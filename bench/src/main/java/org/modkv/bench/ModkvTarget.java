package org.modkv.bench;

import java.time.Duration;
import java.util.List;
import org.modkv.client.ClientOptions;
import org.modkv.client.KeyValue;
import org.modkv.client.ModkvClient;

/**
 * A target speaking modkv's own protocol: one {@link ModkvClient} (one connection and one I/O
 * thread) per target, driven through its async methods.
 */
final class ModkvTarget implements KeyValueTarget {
    private final ModkvClient client;

    private ModkvTarget(ModkvClient client) {
        this.client = client;
    }

    /** @throws org.modkv.client.ModkvClientException if the node cannot be reached */
    static ModkvTarget connect(Address address, Duration connectTimeout, Duration requestTimeout) {
        ClientOptions options = ClientOptions.defaults(address.toString())
                .withConnectTimeout(connectTimeout)
                .withRequestTimeout(requestTimeout);
        return new ModkvTarget(ModkvClient.connect(options));
    }

    @Override
    public void get(byte[] key, Completion done) {
        try {
            client.getAsync(key).whenComplete(done);
        } catch (RuntimeException e) {
            done.failed(e);
        }
    }

    @Override
    public void put(byte[] key, byte[] value, Completion done) {
        try {
            client.putAsync(key, value).whenComplete(done);
        } catch (RuntimeException e) {
            done.failed(e);
        }
    }

    @Override
    public void bulkPut(List<KeyValue> entries, Completion done) {
        try {
            client.bulkPutAsync(entries).whenComplete(done);
        } catch (RuntimeException e) {
            done.failed(e);
        }
    }

    @Override
    public void search(SearchWord word, Completion done) {
        try {
            client.searchAsync(word.query(), false).whenComplete(done);
        } catch (RuntimeException e) {
            done.failed(e);
        }
    }

    @Override
    public String address() {
        return client.serverAddress();
    }

    @Override
    public void close() {
        client.close();
    }
}
