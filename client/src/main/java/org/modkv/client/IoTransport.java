package org.modkv.client;

/**
 * Which of Netty's I/O backends a {@link ModkvClient}'s I/O threads use
 * ({@link ClientOptions#withIoTransport}).
 */
public enum IoTransport {
    /** The first of {@link #IO_URING}, {@link #EPOLL}, {@link #NIO} that runs on this machine. */
    AUTO,
    /** Linux io_uring: the socket reads and writes of an I/O-thread pass go to the kernel in one call. */
    IO_URING,
    /** Linux epoll. */
    EPOLL,
    /** The JDK's NIO selector; runs everywhere. */
    NIO
}
