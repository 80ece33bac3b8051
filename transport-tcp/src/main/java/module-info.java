module org.modkv.transport.tcp {
    requires org.modkv.api;
    requires org.modkv.protocol;
    requires io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.common;
}
