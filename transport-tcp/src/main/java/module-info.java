/**
 * The {@code tcp} transport plugin: serves the length-prefixed Protobuf client protocol of
 * {@code org.modkv.protocol} with Netty (io_uring, epoll or NIO), and with {@code tcp.peers} set the
 * node's {@code PeerNetwork} ({@code peer.proto}). Exports nothing; the kernel finds it through
 * {@code provides}.
 */
module org.modkv.transport.tcp {
    requires org.modkv.api;
    requires org.modkv.protocol;
    requires io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.common;
    requires org.modkv.netty;

    provides org.modkv.api.transport.TransportProvider with org.modkv.transport.tcp.TcpTransportProvider;
}
