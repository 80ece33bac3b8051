/**
 * The modkv Java client: {@link org.modkv.client.ModkvClient} speaks the length-prefixed
 * Protobuf protocol of {@code org.modkv.protocol} to a node's {@code tcp} transport. Meant for
 * applications, so it depends on neither the SPI nor the node; only its API package is exported
 * ({@code org.modkv.client.io}, the choice of Netty I/O backend, only to the bench's load client).
 */
module org.modkv.client {
    requires org.modkv.protocol;
    requires io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;

    exports org.modkv.client;
    exports org.modkv.client.io to org.modkv.bench;
}
