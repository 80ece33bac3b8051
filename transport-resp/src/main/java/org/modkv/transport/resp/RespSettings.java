package org.modkv.transport.resp;

import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.config.HostPort;

/**
 * The {@code resp.*} config keys and their validated values for one running transport.
 *
 * @param listen where to accept clients
 * @param ioThreads Netty I/O threads serving connections
 * @param ioTransport the Netty I/O backend: {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
 * @param asyncFsync whether io_uring event loops offer storage fsyncs that do not block them
 * @param maxBulkBytes largest bulk string a request may carry
 * @param maxInlineBytes longest inline (telnet-style) request line
 * @param maxArrayLength most arguments in one request
 * @param maxRequestBytes most bytes of bulk strings in one request, all arguments together
 * @param maxConnections most open client connections
 * @param maxPendingRequests most requests of one connection awaiting their reply before the
 *     transport stops reading from it
 */
record RespSettings(HostPort listen, int ioThreads, String ioTransport, boolean asyncFsync, int maxBulkBytes, int maxInlineBytes,
                    int maxArrayLength, long maxRequestBytes, int maxConnections, int maxPendingRequests) {

    static final ConfigKey<HostPort> LISTEN = ConfigKey.hostPort("resp.listen", "127.0.0.1:6380",
            "Address for RESP (Redis protocol) clients; port 0 picks a free port.");
    static final ConfigKey<Integer> IO_THREADS = ConfigKey.integer("resp.io.threads", 0, 0, 256,
            "Netty I/O threads for RESP connections; 0 means one per two available processors (at least one), "
                    + "leaving the rest to the storage's commit thread and the tcp transport.");
    static final ConfigKey<String> IO_TRANSPORT = ConfigKey.choice("resp.io.transport", "auto",
            "Netty I/O backend for RESP connections: io_uring and epoll need Linux; auto takes the first of "
                    + "io_uring, epoll, nio that runs here. io_uring hands the kernel all the socket reads and "
                    + "writes of an event-loop pass in one system call, where epoll and nio make one per socket.",
            "auto", "io_uring", "epoll", "nio");
    static final ConfigKey<Boolean> ASYNC_FSYNC = ConfigKey.bool("resp.io.async.fsync", false,
            "With io_uring: let storage that commits a pass's writes on the event loop (wal.caller.commits) "
                    + "start its fsync on the loop's ring and go on serving connections while the disk works, "
                    + "instead of blocking the loop in the fsync; replies still wait for the fsync. Cuts the "
                    + "latency of reads under a durable write load, but gave fewer durable writes/s "
                    + "(docs/design/write-path.md).");
    static final ConfigKey<Long> MAX_BULK_BYTES = ConfigKey.bytes("resp.max.bulk.bytes", "16MiB", 1, 1L << 30,
            "Largest bulk string (key, value or argument) a request may carry; a larger one is a "
                    + "protocol error and the connection is closed.");
    static final ConfigKey<Long> MAX_INLINE_BYTES = ConfigKey.bytes("resp.max.inline.bytes", "64KiB", 16, 16L << 20,
            "Longest inline (telnet-style, space-separated) request line.");
    static final ConfigKey<Integer> MAX_ARRAY_LENGTH = ConfigKey.integer("resp.max.array.length", 1 << 20, 1,
            1 << 30, "Most arguments in one request (the length of its RESP array).");
    static final ConfigKey<Long> MAX_REQUEST_BYTES = ConfigKey.bytes("resp.max.request.bytes", "64MiB", 1,
            4L << 30, "Most bulk-string bytes in one request, all arguments together, so that a "
                    + "request cannot make the node buffer without bound before it is complete.");
    static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.integer("resp.max.connections", 10_000, 1,
            1_000_000, "Most open RESP connections; one more is told 'max number of clients reached' and closed.");
    static final ConfigKey<Integer> MAX_PENDING_REQUESTS = ConfigKey.integer("resp.max.pending.requests", 1024, 1,
            1 << 20, "Most pipelined requests of one connection awaiting their reply; at the limit the "
                    + "transport stops reading from that connection until replies drain.");

    /** The schema, in the order {@code modkv plugins} shows it. */
    static final ConfigSchema SCHEMA = ConfigSchema.of(LISTEN, IO_THREADS, IO_TRANSPORT, ASYNC_FSYNC, MAX_BULK_BYTES,
            MAX_INLINE_BYTES, MAX_ARRAY_LENGTH, MAX_REQUEST_BYTES, MAX_CONNECTIONS, MAX_PENDING_REQUESTS);

    /** Reads the values of a config bound against {@link #SCHEMA}. */
    static RespSettings from(Config config) {
        int threads = config.get(IO_THREADS);
        return new RespSettings(
                config.get(LISTEN),
                threads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors() / 2) : threads,
                config.get(IO_TRANSPORT),
                config.get(ASYNC_FSYNC),
                (int) (long) config.get(MAX_BULK_BYTES),
                (int) (long) config.get(MAX_INLINE_BYTES),
                config.get(MAX_ARRAY_LENGTH),
                config.get(MAX_REQUEST_BYTES),
                config.get(MAX_CONNECTIONS),
                config.get(MAX_PENDING_REQUESTS));
    }
}
