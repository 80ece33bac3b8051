/**
 * The modkv Java client: {@link org.modkv.client.ModkvClient} speaks the length-prefixed
 * Protobuf protocol of {@code org.modkv.protocol} to a node's {@code tcp} transport. Meant for
 * applications, so it depends on neither the SPI nor the node; only its API package is exported.
 */
module org.modkv.client {
    requires org.modkv.protocol;
    requires io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.common;

    exports org.modkv.client;
}
