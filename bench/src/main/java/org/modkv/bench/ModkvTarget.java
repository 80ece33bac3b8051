package org.modkv.bench;

import java.time.Duration;
import java.util.List;
import org.modkv.client.ClientOptions;
import org.modkv.client.KeyValue;
import org.modkv.client.ModkvClient;

/**
 * A target speaking modkv's own protocol through a {@link ModkvClient}, driven through its async
 * methods. Several targets may share one client (its connections take turns); the client is
 * closed by whoever opened it.
 */
final class ModkvTarget implements KeyValueTarget {
    private final ModkvClient client;

    ModkvTarget(ModkvClient client) {
        this.client = client;
    }

    /**
     * A client with {@code connections} connections to {@code address}, served by one I/O
     * thread per core at most.
     *
     * @throws org.modkv.client.ModkvClientException if the node cannot be reached
     */
    static ModkvClient connect(Address address, int connections, Duration connectTimeout, Duration requestTimeout) {
        ClientOptions options = ClientOptions.defaults(address.toString())
                .withConnectTimeout(connectTimeout)
                .withRequestTimeout(requestTimeout)
                .withConnections(connections, Math.min(connections, Runtime.getRuntime().availableProcessors()));
        return ModkvClient.connect(options);
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

    /** Nothing: the client belongs to whoever opened it, and may serve other targets. */
    @Override
    public void close() {
    }
}
