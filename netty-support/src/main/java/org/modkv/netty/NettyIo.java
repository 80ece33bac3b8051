package org.modkv.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;

/**
 * A Netty I/O backend a transport's connections can run on (its {@code *.io.transport} key):
 * Linux io_uring, Linux epoll, or the JDK's NIO selector that runs everywhere.
 *
 * <p>io_uring hands the kernel all the socket reads and writes of an event-loop pass in one
 * system call, where epoll and NIO make a {@code read} and a {@code write} per connection; with
 * many connections those calls are most of the per-request cost. {@code auto} takes the first
 * available of io_uring, epoll, NIO.
 */
public enum NettyIo {
    IO_URING, EPOLL, NIO;

    /** The config value naming this backend. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Event loops of this backend: pass to {@code MultiThreadIoEventLoopGroup}. */
    public IoHandlerFactory handlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

    /** The channel class of listening sockets on this backend's event loops. */
    public Class<? extends ServerChannel> serverChannel() {
        return switch (this) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            case NIO -> NioServerSocketChannel.class;
        };
    }

    /** The channel class of outgoing connections on this backend's event loops. */
    public Class<? extends SocketChannel> socketChannel() {
        return switch (this) {
            case IO_URING -> IoUringSocketChannel.class;
            case EPOLL -> EpollSocketChannel.class;
            case NIO -> NioSocketChannel.class;
        };
    }

    /** Why this backend cannot run here, or {@code null} if it can. */
    public String unavailability() {
        return switch (this) {
            case IO_URING -> IoUring.isAvailable() ? null : describe(IoUring.unavailabilityCause());
            case EPOLL -> Epoll.isAvailable() ? null : describe(Epoll.unavailabilityCause());
            case NIO -> null;
        };
    }

    /**
     * The backend a config value asks for.
     *
     * @param key the config key, for the message
     * @param configured {@code auto}, {@code io_uring}, {@code epoll} or {@code nio}
     * @throws IllegalArgumentException if the named backend cannot run on this machine, saying why
     */
    public static NettyIo choose(String key, String configured) {
        if (configured.equals("auto")) {
            for (NettyIo io : values()) {
                if (io.unavailability() == null) {
                    return io;
                }
            }
            return NIO;
        }
        NettyIo wanted = valueOf(configured.toUpperCase(Locale.ROOT));
        String why = wanted.unavailability();
        if (why != null) {
            throw new IllegalArgumentException(key + "=" + configured + " cannot run here: " + why
                    + " (use auto, or one of io_uring, epoll, nio that this machine supports)");
        }
        return wanted;
    }

    private static String describe(Throwable cause) {
        return cause == null ? "unavailable" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
