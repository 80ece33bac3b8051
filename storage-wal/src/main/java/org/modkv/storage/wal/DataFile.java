package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * One file of records: a log segment ({@code <id>.wal}), a merge output ({@code <id>.merged})
 * or a durable-log segment ({@code <first index>.log}), named by its zero-padded number.
 *
 * <p>Threading: writes, {@link #force}, {@link #seal} and {@link #truncate} come from one
 * thread at a time (recovery, then the group-commit agent or the merger that owns the file).
 * {@link #read} is safe from any thread and uses a separate channel: a reader interrupted
 * mid-read closes only that channel (NIO closes a channel on interrupt), which is then reopened,
 * so an interrupted reader cannot break the writer. Once a merge has replaced the file it is
 * {@linkplain #retire() retired}: reads fail with a {@link java.nio.channels.ClosedChannelException}
 * and the reader looks the key up again.
 *
 * <p>The byte counters ({@link #entryBytes()}, {@link #liveBytes()}) are changed only under the
 * key directory's write lock; others read them without a lock (for stats and merge policy).
 *
 * <p><b>Mapped reads.</b> Point reads of segments and merge outputs copy from read-only memory
 * maps of the file, one per {@value #MAP_CHUNK_BYTES}-byte chunk, made on first use once the
 * file covers the whole chunk (or, for a sealed file, up to its end). A read that straddles two
 * chunks, or falls in the active segment's unfinished last chunk, is a positional read. Maps
 * spare the hot read path a system call and a copy through a temporary direct buffer; they are
 * safe because these files only ever grow, except for recovery's truncation, which happens
 * before any read and drops the maps. Durable-log files, which are cut while in use, are never
 * mapped.
 */
final class DataFile {
    /** What a file holds, and its file-name suffix. */
    enum Kind {
        SEGMENT(".wal"),
        MERGED(".merged"),
        LOG(".log");

        final String suffix;

        Kind(String suffix) {
            this.suffix = suffix;
        }
    }

    static final String TEMP_SUFFIX = ".tmp";
    static final int MAP_CHUNK_SHIFT = 20;
    static final int MAP_CHUNK_BYTES = 1 << MAP_CHUNK_SHIFT;
    private static final MappedByteBuffer[] NO_MAPS = new MappedByteBuffer[0];

    private final long id;
    private final Kind kind;
    private volatile Path path;
    private FileChannel writeChannel;
    private volatile FileChannel readChannel;
    /** Opened on the first fsync run on an event loop; see {@link SyncDescriptor}. */
    private SyncDescriptor syncDescriptor;
    /** Read-only maps by chunk index ({@code null} where none is made yet); copy-on-write. */
    private volatile MappedByteBuffer[] maps = NO_MAPS;
    private volatile long size;
    private volatile boolean closed;
    private volatile boolean retired;
    private volatile boolean hinted;
    private volatile boolean settled;
    private volatile boolean damaged;
    /** Whether the file is longer than its records (a prepared segment's zeros follow them). */
    private volatile boolean preallocated;
    private volatile long minSequence = Long.MAX_VALUE;
    private volatile long maxSequence;
    private long entryBytes;
    private long liveBytes;

    private DataFile(long id, Kind kind, Path path, FileChannel writeChannel, long size) throws IOException {
        this.id = id;
        this.kind = kind;
        this.path = path;
        this.writeChannel = writeChannel;
        this.size = size;
        this.settled = writeChannel == null;
        this.readChannel = FileChannel.open(path, StandardOpenOption.READ);
    }

    /** Creates a new, empty file; the caller fsyncs the directory. */
    static DataFile create(Path dir, long id, Kind kind, ChannelOpener opener) throws IOException {
        return createAt(dir.resolve(fileName(id, kind)), id, kind, opener);
    }

    /** Creates a new, empty file at {@code path} (e.g. a temporary name, see {@link #renameTo}). */
    static DataFile createAt(Path path, long id, Kind kind, ChannelOpener opener) throws IOException {
        FileChannel channel = opener.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
        return open(id, kind, path, channel, 0);
    }

    /**
     * Renames a file of zeros prepared by the {@link SegmentPreparer} to segment {@code id} and
     * opens it for appends from its start; the caller fsyncs the directory.
     */
    static DataFile adoptPrepared(Path prepared, Path dir, long id, ChannelOpener opener) throws IOException {
        Path path = dir.resolve(fileName(id, Kind.SEGMENT));
        java.nio.file.Files.move(prepared, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        FileChannel channel = opener.open(path, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        DataFile file = open(id, Kind.SEGMENT, path, channel, 0);
        file.preallocated = true;
        return file;
    }

    /** Opens an existing file that will not be written again (sealed segments, merge outputs). */
    static DataFile openReadOnly(Path path, long id, Kind kind) throws IOException {
        return new DataFile(id, kind, path, null, java.nio.file.Files.size(path));
    }

    /** Opens an existing file for recovery, writable; {@link #size()} is its length until recovery says otherwise. */
    static DataFile openExisting(Path path, long id, Kind kind, ChannelOpener opener) throws IOException {
        FileChannel channel = opener.open(path, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        return open(id, kind, path, channel, channel.size());
    }

    private static DataFile open(long id, Kind kind, Path path, FileChannel channel, long size) throws IOException {
        try {
            return new DataFile(id, kind, path, channel, size);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static String fileName(long id, Kind kind) {
        return String.format(Locale.ROOT, "%020d%s", id, kind.suffix);
    }

    /** The number of a file named like a file of {@code kind}, or -1. */
    static long parseId(String fileName, Kind kind) {
        return parseNumber(fileName, kind.suffix);
    }

    /** The number of a file named {@code <20 digits><suffix>}, or -1. */
    static long parseNumber(String fileName, String suffix) {
        if (fileName.length() != 20 + suffix.length() || !fileName.endsWith(suffix)) {
            return -1;
        }
        long id = 0;
        for (int i = 0; i < 20; i++) {
            char c = fileName.charAt(i);
            if (c < '0' || c > '9' || id > (Long.MAX_VALUE - 9) / 10) {
                return -1;
            }
            id = id * 10 + (c - '0');
        }
        return id;
    }

    long id() {
        return id;
    }

    Kind kind() {
        return kind;
    }

    Path path() {
        return path;
    }

    /** Bytes of whole records in the file; appends go here. */
    long size() {
        return size;
    }

    /** The writable channel, for recovery and the file's one writer; {@code null} once sealed. */
    FileChannel channel() {
        return writeChannel;
    }

    /** A channel to map the file from (recovery, merge, hints). */
    FileChannel mappable() {
        FileChannel channel = writeChannel;
        return channel != null ? channel : readChannel;
    }

    /** Recovery: the file holds {@code validBytes} of good records (nothing is cut). */
    void recovered(long validBytes) {
        size = validBytes;
    }

    /** Recovery: the file's records end before its zeros (a prepared segment); sealing cuts the zeros off. */
    void recoveredPreallocated(long validBytes) {
        size = validBytes;
        preallocated = true;
    }

    /** Whether the file's records are followed by prepared zeros rather than its end. */
    boolean isPreallocated() {
        return preallocated;
    }

    /** Cuts the file at {@code validBytes} and makes the cut durable. */
    void truncate(long validBytes) throws IOException {
        maps = NO_MAPS;
        writeChannel.truncate(validBytes);
        writeChannel.force(true);
        size = validBytes;
    }

    /**
     * Writes the remaining bytes of {@code buffer} at the end of the file (one
     * {@code FileChannel.write} unless the OS takes less) and moves the end past them.
     */
    void append(ByteBuffer buffer) throws IOException {
        FileChannel channel = writeChannel;
        long position = size;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        size = position;
    }

    /** fsync of the file's data (and its size). */
    void force() throws IOException {
        writeChannel.force(false);
    }

    /** The descriptor fsyncs outside the commit turn force this file through, or {@code null} once closed. */
    synchronized SyncDescriptor syncDescriptor() throws IOException {
        if (closed) {
            return null;
        }
        if (syncDescriptor == null) {
            syncDescriptor = new SyncDescriptor(path);
        }
        return syncDescriptor;
    }

    /**
     * Forces and closes the write side; the file stays readable. A prepared segment is first cut
     * to its records, so every sealed file ends with its last record.
     */
    void seal() throws IOException {
        FileChannel channel = writeChannel;
        if (channel != null) {
            if (preallocated) {
                channel.truncate(size);
                channel.force(true);
                preallocated = false;
            } else {
                channel.force(false);
            }
            channel.close();
            writeChannel = null;
        }
    }

    boolean isSealed() {
        return writeChannel == null;
    }

    /** Gives the file its final name (the caller fsyncs the directory); open channels keep working. */
    void renameTo(Path target) throws IOException {
        java.nio.file.Files.move(path, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        path = target;
    }

    /**
     * Reads {@code dst.remaining()} bytes at {@code position} into {@code dst}.
     *
     * @throws java.nio.channels.ClosedChannelException if the file was closed or retired meanwhile
     */
    void read(long position, ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        ByteBuffer map = kind == Kind.LOG ? null : mapFor(position, length);
        if (map != null) {
            if (closed || retired) {
                throw new ClosedChannelException();
            }
            int at = dst.position();
            dst.put(at, map, (int) (position & (MAP_CHUNK_BYTES - 1)), length);
            dst.position(at + length);
            return;
        }
        FileChannel channel = readChannel;
        int start = dst.position();
        try {
            while (dst.hasRemaining()) {
                int n = channel.read(dst, position + dst.position() - start);
                if (n < 0) {
                    throw new IOException(path + ": unexpected end of file reading " + (dst.limit() - start)
                            + " bytes at byte offset " + position + " (file has " + channel.size() + " bytes)");
                }
            }
        } catch (ClosedByInterruptException e) {
            reopenReadChannel(channel);
            throw e;
        }
    }

    /** The map of the chunk holding {@code [position, position + length)}, or null where a positional read must do. */
    private ByteBuffer mapFor(long position, int length) throws IOException {
        long index = position >>> MAP_CHUNK_SHIFT;
        if (length == 0 || (position + length - 1) >>> MAP_CHUNK_SHIFT != index || index > Integer.MAX_VALUE) {
            return null;
        }
        MappedByteBuffer[] current = maps;
        if (index < current.length && current[(int) index] != null) {
            return current[(int) index];
        }
        long chunkStart = index << MAP_CHUNK_SHIFT;
        long covered = size;
        long mapLength;
        if (covered >= chunkStart + MAP_CHUNK_BYTES
                || preallocated && readChannel.size() >= chunkStart + MAP_CHUNK_BYTES) {
            // Written up to the chunk's end, or a prepared segment whose zeros already fill it:
            // records appended later show through the map (one page cache), so the newest
            // records, often the hottest, are read from memory too. Reads stay below the
            // written size, which sealing cuts the file back to.
            mapLength = MAP_CHUNK_BYTES;
        } else if (isSealed() && position + length <= covered) {
            mapLength = covered - chunkStart;
        } else {
            return null;
        }
        return map((int) index, chunkStart, mapLength);
    }

    private synchronized ByteBuffer map(int index, long chunkStart, long length) throws IOException {
        MappedByteBuffer[] current = maps;
        if (index < current.length && current[index] != null) {
            return current[index];
        }
        if (closed || retired) {
            throw new ClosedChannelException();
        }
        MappedByteBuffer map = readChannel.map(FileChannel.MapMode.READ_ONLY, chunkStart, length);
        MappedByteBuffer[] grown = Arrays.copyOf(current, Math.max(current.length, index + 1));
        grown[index] = map;
        maps = grown;
        return map;
    }

    private synchronized void reopenReadChannel(FileChannel broken) throws IOException {
        if (!closed && readChannel == broken) {
            readChannel = FileChannel.open(path, StandardOpenOption.READ);
        }
    }

    // ---------------------------------------------------------------- merge bookkeeping

    /** Whether a merge has replaced this file (it is closed, or about to be, and deleted). */
    boolean isRetired() {
        return retired;
    }

    /** Marks the file replaced by a merge; reads from now on fail and look the key up again. */
    void retire() {
        retired = true;
    }

    /**
     * Whether every record of this sealed file is in the key directory, so a merge may judge its
     * entries live or dead. A segment the agent just rolled away from is not settled until the
     * group holding its last records has been applied; files opened sealed are.
     */
    boolean isSettled() {
        return settled;
    }

    void settled() {
        settled = true;
    }

    /**
     * Whether a read, a merge or a scrub found a record of this file that fails its checks. A
     * damaged file is left out of merges (it stays as it is until an operator acts).
     */
    boolean isDamaged() {
        return damaged;
    }

    /** Marks the file damaged; returns whether it was not marked before (so the damage is reported once). */
    synchronized boolean markDamaged() {
        if (damaged) {
            return false;
        }
        damaged = true;
        return true;
    }

    /** Whether a hint file for this file exists. */
    boolean isHinted() {
        return hinted;
    }

    void hinted(boolean value) {
        hinted = value;
    }

    /** Lowest sequence number of a record in the file, {@code Long.MAX_VALUE} while it has none. */
    long minSequence() {
        return minSequence;
    }

    /** Highest sequence number the file holds or (for a merge output) replaced; 0 while none. */
    long maxSequence() {
        return maxSequence;
    }

    /** Widens the sequence range by a record's sequence number. One writer at a time. */
    void sawSequence(long sequence) {
        if (sequence < minSequence) {
            minSequence = sequence;
        }
        if (sequence > maxSequence) {
            maxSequence = sequence;
        }
    }

    /** Raises {@link #maxSequence()} without widening the minimum (a merge output's covered range). */
    void coversSequence(long sequence) {
        if (sequence > maxSequence) {
            maxSequence = sequence;
        }
    }

    /** Bytes of every batch entry in the file. */
    long entryBytes() {
        return entryBytes;
    }

    /** Bytes of entries that still count: the values the key directory points at, deletes a merge kept. */
    long liveBytes() {
        return liveBytes;
    }

    /** Entry bytes that a merge would drop. */
    long deadBytes() {
        return Math.max(0, entryBytes - liveBytes);
    }

    void addEntryBytes(long delta) {
        entryBytes += delta;
    }

    void addLiveBytes(long delta) {
        liveBytes += delta;
    }

    boolean isClosed() {
        return closed;
    }

    /** Closes both channels without forcing. Idempotent. */
    synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        maps = NO_MAPS; // unmapped once the GC finds no reader still holding one
        IOException failure = null;
        for (FileChannel channel : new FileChannel[] {writeChannel, readChannel}) {
            if (channel == null) {
                continue;
            }
            try {
                channel.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        writeChannel = null;
        if (syncDescriptor != null) {
            try {
                syncDescriptor.release();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
