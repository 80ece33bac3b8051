package org.modkv.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.transport.EventLoopFsync;

/**
 * {@link IoUringFsync} on a real io_uring event loop: installed on the loop, it runs
 * {@code fdatasync} through the ring and reports its result, with the caller's tag, on the
 * loop; the kernel's error comes back as its errno. Skipped where io_uring cannot run.
 */
class IoUringFsyncTest {
    private static final int EINVAL = 22;

    @TempDir
    Path dir;
    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;
    private EventLoopFsync fsync;

    @BeforeEach
    void startLoop() throws Exception {
        assumeTrue(IoUring.isAvailable(), "io_uring cannot run here");
        group = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory());
        loop = (IoEventLoop) group.next();
        fsync = IoUringFsync.install(loop);
        assertNotSame(EventLoopFsync.NONE, fsync, "the loop has its EventLoopFsync");
    }

    @AfterEach
    void stopLoop() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void anFsyncRunsThroughTheRingAndIsReportedOnTheLoopWithItsTag() throws Exception {
        Path file = Files.write(dir.resolve("data"), new byte[] {1, 2, 3});
        try (RandomAccessFile open = new RandomAccessFile(file.toFile(), "r")) {
            assertEquals("7:0:true", fsync(open.getFD(), 7));
            assertEquals("8:0:true", fsync(open.getFD(), 8), "a second fsync of the same file reuses the slot");
        }
    }

    @Test
    void theKernelsErrorComesBackAsItsErrno() throws Exception {
        try (FileInputStream devNull = new FileInputStream("/dev/null")) {
            assertEquals("3:" + EINVAL + ":true", fsync(devNull.getFD(), 3), "fdatasync of /dev/null is EINVAL");
        }
    }

    @Test
    void aClosedDescriptorIsRefusedSoTheCallerForcesByItself() throws Exception {
        RandomAccessFile closed = new RandomAccessFile(Files.write(dir.resolve("gone"), new byte[1]).toFile(), "r");
        FileDescriptor descriptor = closed.getFD();
        closed.close();
        assertFalse(onLoop(() -> fsync.startDataSync(descriptor, 1, (tag, errno) -> { })));
    }

    /** Starts an fsync on the loop and returns "tag:errno:onTheLoop" once it is reported. */
    private String fsync(FileDescriptor descriptor, int tag) throws Exception {
        CompletableFuture<String> reported = new CompletableFuture<>();
        boolean started = onLoop(() -> fsync.startDataSync(descriptor, tag,
                (t, errno) -> reported.complete(t + ":" + errno + ":" + loop.inEventLoop())));
        assertEquals(true, started);
        return reported.get(30, TimeUnit.SECONDS);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }
}
