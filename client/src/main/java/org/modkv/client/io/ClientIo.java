package org.modkv.client.io;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringSocketChannel;
import org.modkv.client.IoTransport;

/**
 * The Netty I/O backend of client connections: Linux io_uring, Linux epoll, or the JDK's NIO
 * selector. Exported only to {@code org.modkv.bench}, whose RESP load client picks its backend
 * the same way; not API.
 *
 * <p>The server transports have classes like this one for their server sockets (plugins share
 * nothing but the api).
 */
public enum ClientIo {
    IO_URING, EPOLL, NIO;

    public IoHandlerFactory handlerFactory() {
        return switch (this) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            case NIO -> NioIoHandler.newFactory();
        };
    }

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
     * The backend {@code wanted} names: for {@link IoTransport#AUTO} the first that runs here.
     *
     * @throws IllegalArgumentException if a named backend cannot run on this machine, saying why
     */
    public static ClientIo choose(IoTransport wanted) {
        if (wanted == IoTransport.AUTO) {
            for (ClientIo io : values()) {
                if (io.unavailability() == null) {
                    return io;
                }
            }
            return NIO;
        }
        ClientIo io = valueOf(wanted.name());
        String why = io.unavailability();
        if (why != null) {
            throw new IllegalArgumentException("I/O transport " + wanted + " cannot run here: " + why
                    + " (use AUTO, or one of IO_URING, EPOLL, NIO that this machine supports)");
        }
        return io;
    }

    private static String describe(Throwable cause) {
        return cause == null ? "unavailable" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
