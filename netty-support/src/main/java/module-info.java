/**
 * Netty support shared by the transport plugins: the I/O backends ({@code io_uring}, {@code epoll},
 * {@code nio}) a transport's {@code *.io.transport} key chooses from, and the end-of-burst notices
 * of a worker group's event loops, which carry each io_uring loop's fsync to storage.
 *
 * <p>A library, not a plugin: it provides no service. Each transport that uses it bundles a copy
 * in its own plugin directory, as it bundles Netty, so the library must not depend on a plugin or
 * the kernel.
 */
module org.modkv.netty {
    requires transitive org.modkv.api;
    requires transitive io.netty.transport;
    requires io.netty.common;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;

    exports org.modkv.netty;
}
