package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The data files of one engine directory, by number: log segments ({@code .wal}, the last of
 * which is the active segment that takes appends) and merge outputs ({@code .merged}). Hands
 * out file numbers, rolls the active segment, counts fsyncs, and is the
 * {@link KeyDirectory.LiveBytes} listener that keeps each file's live-byte count.
 *
 * <p>Threading: {@link #roll} and {@link #forceActive} are called by the group-commit agent
 * only; {@link #add}/{@link #remove} by recovery and the merger; lookups by number
 * ({@link #byId}) from any thread, without a lock, on an immutable snapshot of the table.
 */
final class DataFiles implements KeyDirectory.LiveBytes {
    /** Sorted numbers and their files; replaced whole on every change. */
    private record Table(long[] ids, DataFile[] files) {
        DataFile find(long id) {
            int i = Arrays.binarySearch(ids, id);
            return i >= 0 ? files[i] : null;
        }
    }

    private final Path dir;
    private final long segmentBytes;
    private final ChannelOpener opener;
    private final AtomicLong nextId;
    private volatile Table table = new Table(new long[0], new DataFile[0]);
    private volatile DataFile active;
    private volatile long fsyncs;
    private volatile long lastFsyncMicros = -1;
    /** Prepares segments ahead of the roll ({@code wal.preallocate}); {@code null} when off. */
    private final SegmentPreparer preparer;
    /** Appends to a growing segment past this many bytes ask for a prepared one. */
    private final long prepareAfterBytes;

    DataFiles(Path dir, long segmentBytes, ChannelOpener opener, long nextId, boolean preallocate) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.opener = opener;
        this.nextId = new AtomicLong(nextId);
        this.preparer = preallocate ? new SegmentPreparer(dir, segmentBytes) : null;
        this.prepareAfterBytes = Math.min(1 << 20, segmentBytes / 4);
    }

    Path dir() {
        return dir;
    }

    ChannelOpener opener() {
        return opener;
    }

    long segmentBytes() {
        return segmentBytes;
    }

    /** A number no file of this directory has or had. */
    long nextId() {
        long id = nextId.getAndIncrement();
        if (id > Location.MAX_FILE_ID) {
            throw new IllegalStateException("data file numbers are exhausted in " + dir);
        }
        return id;
    }

    DataFile byId(long id) {
        return table.find(id);
    }

    DataFile active() {
        return active;
    }

    /** Registers {@code file}; with {@code makeActive} it becomes the segment appends go to. */
    synchronized void add(DataFile file, boolean makeActive) {
        Table t = table;
        int at = Arrays.binarySearch(t.ids, file.id());
        if (at >= 0) {
            throw new IllegalStateException("data file " + file.id() + " is registered twice");
        }
        int insert = -at - 1;
        long[] ids = new long[t.ids.length + 1];
        DataFile[] files = new DataFile[ids.length];
        System.arraycopy(t.ids, 0, ids, 0, insert);
        System.arraycopy(t.files, 0, files, 0, insert);
        ids[insert] = file.id();
        files[insert] = file;
        System.arraycopy(t.ids, insert, ids, insert + 1, t.ids.length - insert);
        System.arraycopy(t.files, insert, files, insert + 1, t.files.length - insert);
        table = new Table(ids, files);
        if (makeActive) {
            active = file;
        }
    }

    /** Unregisters {@code files} (a merge replaced them). */
    synchronized void remove(Collection<DataFile> removed) {
        Table t = table;
        List<Long> ids = new ArrayList<>();
        List<DataFile> files = new ArrayList<>();
        for (int i = 0; i < t.ids.length; i++) {
            if (!removed.contains(t.files[i])) {
                ids.add(t.ids[i]);
                files.add(t.files[i]);
            }
        }
        table = new Table(ids.stream().mapToLong(Long::longValue).toArray(), files.toArray(new DataFile[0]));
    }

    /** Every registered file, by number. */
    List<DataFile> all() {
        return List.of(table.files);
    }

    /**
     * Whether a record of {@code recordBytes} appended at {@code position} of the active
     * segment must go to a new segment instead. A record never splits, and one larger than the
     * segment size goes alone into a fresh segment.
     */
    boolean mustRollBefore(long position, long recordBytes) {
        return position > 0 && position + recordBytes > segmentBytes;
    }

    /**
     * Makes the active segment durable and closes it for writes, then creates the next one and
     * fsyncs the directory. The fsync first keeps the recovery rule simple: only the last
     * segment can have a torn tail. Agent only.
     */
    DataFile roll() throws IOException {
        DataFile old = active;
        timedForce(old);
        old.seal();
        Path prepared = preparer == null ? null : preparer.take();
        DataFile next = prepared != null
                ? DataFile.adoptPrepared(prepared, dir, nextId(), opener)
                : DataFile.create(dir, nextId(), DataFile.Kind.SEGMENT, opener);
        add(next, true);
        syncDirectory(dir);
        if (preparer != null) {
            preparer.request();
        }
        return next;
    }

    /**
     * Whether the agent should roll now, before the segment is full: the active segment grows
     * (it was not prepared) and a prepared one is waiting. Asks for a prepared segment once the
     * growing one sees real write traffic, so short-lived engines (tests, tools) write no zeros.
     * Agent only.
     */
    boolean shouldRollToPrepared() {
        DataFile current = active;
        if (preparer == null || current.isPreallocated() || current.size() < prepareAfterBytes) {
            return false;
        }
        if (preparer.hasReady()) {
            return true;
        }
        preparer.request();
        return false;
    }

    /** fsync of the active segment. Agent only. */
    void forceActive() throws IOException {
        timedForce(active);
    }

    private void timedForce(DataFile file) throws IOException {
        long start = System.nanoTime();
        file.force();
        recordFsync(System.nanoTime() - start);
    }

    /** Counts an fsync of {@code nanos} (of a data file or a durable-log file). Agent only. */
    void recordFsync(long nanos) {
        lastFsyncMicros = nanos / 1_000;
        fsyncs++;
    }

    @Override
    public void adjust(long location, long delta) {
        DataFile file = table.find(Location.fileId(location));
        if (file != null) {
            file.addLiveBytes(delta);
        }
    }

    long fsyncs() {
        return fsyncs;
    }

    /** Duration of the latest fsync in microseconds, or -1 before the first. */
    long lastFsyncMicros() {
        return lastFsyncMicros;
    }

    /**
     * Closes every file, first forcing the active one if {@code flush} (not after a storage
     * failure: a failed fsync is never retried).
     */
    void close(boolean flush) throws IOException {
        IOException failure = null;
        if (preparer != null) {
            try {
                preparer.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        DataFile current = active;
        if (flush && current != null && !current.isSealed() && !current.isClosed()) {
            try {
                current.force();
            } catch (IOException e) {
                failure = e;
            }
        }
        for (DataFile file : table.files) {
            try {
                file.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** fsync of a directory, so that files created, renamed or removed in it survive a crash. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
