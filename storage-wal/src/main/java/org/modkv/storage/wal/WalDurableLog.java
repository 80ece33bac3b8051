package org.modkv.storage.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;
import org.modkv.api.storage.DurableLog;

/**
 * The durable-log capability of the {@code wal} engine ({@code StorageEngine.openLog}): appends
 * travel through the engine's ring buffer and are written and fsync'd by the same
 * group-commit agent, in the same cycle, as key-value writes; the entries live in their own
 * segment files ({@link DurableLogFiles}).
 *
 * <p>Indexes are given out at {@link #append} under a lock, in the order the appends enter the
 * ring, so {@link #lastIndex()} counts an append as soon as it returns. An appended entry is
 * readable once the agent has written it (typically microseconds later; {@link #read} waits
 * for it), and its future completes once it is durable. Truncations run on the agent between
 * two groups and are durable when they return. Thread-safe.
 */
final class WalDurableLog implements DurableLog {
    private static final long OFFER_TIMEOUT_NS = 10_000_000_000L;

    private final DurableLogFiles files;
    private final WriteRing ring;
    private final GroupCommitAgent agent;
    private final Consumer<WalDurableLog> onClose;
    private final ReentrantLock appendLock = new ReentrantLock();
    private volatile long lastIndex;
    private volatile boolean closed;

    private WalDurableLog(DurableLogFiles files, WriteRing ring, GroupCommitAgent agent,
                          Consumer<WalDurableLog> onClose) {
        this.files = files;
        this.ring = ring;
        this.agent = agent;
        this.onClose = onClose;
        this.lastIndex = files.writtenIndex();
    }

    /** Opens the log's files and has the agent start writing them. */
    static WalDurableLog open(DurableLogFiles files, WriteRing ring, GroupCommitAgent agent,
                              Consumer<WalDurableLog> onClose) throws IOException {
        WalDurableLog log = new WalDurableLog(files, ring, agent, onClose);
        try {
            log.runOnAgent(new AgentCommand() {
                @Override
                void run() {
                    agent.register(files);
                }
            });
        } catch (IOException | RuntimeException e) {
            files.closeFiles();
            throw e;
        }
        return log;
    }

    String name() {
        return files.name();
    }

    @Override
    public CompletableFuture<Long> append(byte[] entry) {
        byte[] copy = entry.clone();
        appendLock.lock();
        try {
            ensureOpen();
            long index = lastIndex + 1;
            LogAppend append = new LogAppend(files, index, copy, new CompletableFuture<>());
            offer(WriteRing.MSG_LOG_APPEND, append);
            lastIndex = index;
            return append.future();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public byte[] read(long index) throws IOException {
        ensureOpen();
        long first = files.firstIndex();
        long last = lastIndex;
        if (index < first || index > last) {
            throw new IllegalArgumentException("durable log " + name() + " holds entries " + first + ".." + last
                    + ", not " + index);
        }
        long deadline = System.nanoTime() + OFFER_TIMEOUT_NS;
        while (files.writtenIndex() < index) {
            ModkvException failure = ring.failure();
            if (failure != null) {
                throw new IOException("durable log " + name() + ": entry " + index + " was never written: "
                        + failure.getMessage(), failure);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("durable log " + name() + ": entry " + index + " was not written within 10 s");
            }
            LockSupport.parkNanos(50_000);
        }
        return files.read(index);
    }

    @Override
    public long firstIndex() {
        return files.firstIndex();
    }

    @Override
    public long lastIndex() {
        return lastIndex;
    }

    @Override
    public void truncateSuffix(long fromIndex) throws IOException {
        appendLock.lock();
        try {
            ensureOpen();
            if (fromIndex < files.firstIndex()) {
                throw new IllegalArgumentException("durable log " + name() + " cannot truncate from " + fromIndex
                        + ": entries before " + files.firstIndex() + " are already gone");
            }
            if (fromIndex > lastIndex) {
                return;
            }
            runOnAgent(new AgentCommand() {
                @Override
                void run() throws IOException {
                    files.truncateSuffix(fromIndex);
                }
            });
            lastIndex = fromIndex - 1;
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public void truncatePrefix(long beforeIndex) throws IOException {
        appendLock.lock();
        try {
            ensureOpen();
            if (beforeIndex <= files.firstIndex()) {
                return;
            }
            runOnAgent(new AgentCommand() {
                @Override
                void run() throws IOException {
                    files.truncatePrefix(beforeIndex);
                }
            });
            if (beforeIndex > lastIndex + 1) {
                lastIndex = beforeIndex - 1;
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** Waits for every append, then closes the files. Idempotent. */
    @Override
    public void close() throws IOException {
        appendLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                runOnAgent(new AgentCommand() {
                    @Override
                    void run() throws IOException {
                        agent.unregister(files);
                        files.close();
                    }
                });
            } catch (IOException | RuntimeException e) {
                files.closeFiles();
                throw e;
            }
        } finally {
            appendLock.unlock();
            onClose.accept(this);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ModkvException(ErrorCode.SHUTTING_DOWN, "durable log " + name() + " is closed");
        }
    }

    private void runOnAgent(AgentCommand command) throws IOException {
        offer(WriteRing.MSG_COMMAND, command);
        try {
            command.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for durable log " + name());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        }
    }

    /** Offers into the ring, parking while it is full (up to 10 s, then OVERLOADED). */
    private void offer(int msgTypeId, Object holder) {
        long deadline = System.nanoTime() + OFFER_TIMEOUT_NS;
        long parkNs = 1_000;
        while (!ring.offerObject(msgTypeId, holder)) {
            if (System.nanoTime() > deadline) {
                throw new ModkvException(ErrorCode.OVERLOADED, "storage is overloaded: no room for durable log "
                        + name() + " after 10 s; retry later");
            }
            LockSupport.parkNanos(parkNs);
            parkNs = Math.min(parkNs * 2, 1_000_000);
        }
    }

    @Override
    public String toString() {
        return "WalDurableLog(" + name() + ")";
    }
}
