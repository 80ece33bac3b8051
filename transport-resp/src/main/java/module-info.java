/**
 * The {@code resp} transport plugin: a Netty server (io_uring, epoll or NIO) speaking the Redis protocol (RESP2),
 * so redis-cli, redis-benchmark and Redis client libraries can use modkv unchanged. Exports
 * nothing; the kernel finds it through {@code provides}.
 */
module org.modkv.transport.resp {
    requires org.modkv.api;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires org.modkv.netty;

    provides org.modkv.api.transport.TransportProvider with org.modkv.transport.resp.RespTransportProvider;
}
