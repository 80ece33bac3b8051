package org.modkv.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import java.io.FileInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.transport.EventLoopFsync;

/**
 * The tcp transport's {@link IoUringFsync} on a real io_uring event loop (the RESP transport's
 * test covers refusals too): an fsync runs through the ring and its result, or the kernel's
 * errno, comes back on the loop with the caller's tag. Skipped where io_uring cannot run.
 */
class IoUringFsyncTest {
    @TempDir
    Path dir;

    @Test
    void fsyncsRunThroughTheRingAndAreReportedOnTheLoop() throws Exception {
        assumeTrue(IoUring.isAvailable(), "io_uring cannot run here");
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
        try {
            IoEventLoop loop = (IoEventLoop) group.next();
            EventLoopFsync fsync = IoUringFsync.install(loop);
            assertNotSame(EventLoopFsync.NONE, fsync, "the loop has its EventLoopFsync");
            Path file = Files.write(dir.resolve("data"), new byte[] {1});
            try (RandomAccessFile open = new RandomAccessFile(file.toFile(), "r");
                 FileInputStream devNull = new FileInputStream("/dev/null")) {
                for (Object[] c : new Object[][] {{open.getFD(), 4, "4:0:true"}, {devNull.getFD(), 5, "5:22:true"}}) {
                    CompletableFuture<String> reported = new CompletableFuture<>();
                    EventLoopFsync bound = fsync;
                    boolean started = loop.submit(() -> bound.startDataSync((java.io.FileDescriptor) c[0], (int) c[1],
                            (tag, errno) -> reported.complete(tag + ":" + errno + ":" + loop.inEventLoop())))
                            .get(30, TimeUnit.SECONDS);
                    assertEquals(true, started);
                    assertEquals(c[2], reported.get(30, TimeUnit.SECONDS));
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
