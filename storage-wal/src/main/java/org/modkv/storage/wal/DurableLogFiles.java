package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.modkv.api.storage.CorruptDataException;

/**
 * The files of one durable log ({@code log-<name>/}): segments {@code <first index>.log} of
 * {@link WalRecordFormat#TYPE_LOG_ENTRY} records with consecutive indexes, and a small
 * {@code first-index} file that remembers a prefix truncation. An in-memory table gives each
 * entry's offset and length, so a read is one positional read.
 *
 * <p>Threading: appends are framed, written and forced by the group-commit agent
 * ({@link #frame}, {@link #writeOut}, {@link #force}), truncations run there too as agent
 * commands; an entry becomes readable once it is written (before the fsync that makes it
 * durable). {@link #read} is safe from any thread. The segment table is guarded by this
 * object's monitor, held only for lookups and changes, never across I/O on the read path.
 */
final class DurableLogFiles {
    private static final System.Logger LOG = System.getLogger(DurableLogFiles.class.getName());
    static final String FIRST_INDEX_FILE = "first-index";
    private static final int BUFFER_BYTES = 256 * 1024;

    /** One segment file and where each of its entries is. */
    private static final class Segment {
        final long firstIndex;
        DataFile file;
        int[] offsets = new int[256];
        int[] lengths = new int[256];
        int count;

        Segment(long firstIndex, DataFile file) {
            this.firstIndex = firstIndex;
            this.file = file;
        }

        void add(long offset, int length) {
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
                lengths = Arrays.copyOf(lengths, count * 2);
            }
            offsets[count] = (int) offset;
            lengths[count] = length;
            count++;
        }

        long lastIndex() {
            return firstIndex + count - 1;
        }
    }

    private final String name;
    private final Path dir;
    private final long segmentBytes;
    private final ChannelOpener opener;
    private final List<Segment> segments = new ArrayList<>();
    private volatile long firstIndex;
    private volatile long writtenIndex;
    // Agent only:
    private long framedIndex;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final ByteBuffer checksumView = buffer.duplicate();
    private final CRC32C crc = new CRC32C();
    private int bufferEnd;
    private long[] pending = new long[64];
    private int pendingCount;
    private boolean dirty;

    private DurableLogFiles(String name, Path dir, long segmentBytes, ChannelOpener opener) {
        this.name = name;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.opener = opener;
    }

    String name() {
        return name;
    }

    long firstIndex() {
        return firstIndex;
    }

    /** Index of the last entry written to the files (readable). */
    long writtenIndex() {
        return writtenIndex;
    }

    // ---------------------------------------------------------------- recovery

    /**
     * Opens (creating if needed) the log in {@code dir}: replays its segments, cuts a torn tail
     * off the last one, refuses corruption, finishes an interrupted prefix truncation.
     */
    static DurableLogFiles open(String name, Path dir, long segmentBytes, ChannelOpener opener) throws IOException {
        Files.createDirectories(dir);
        DurableLogFiles log = new DurableLogFiles(name, dir, segmentBytes, opener);
        TreeMap<Long, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String fileName = entry.getFileName().toString();
                if (fileName.endsWith(DataFile.TEMP_SUFFIX)) {
                    Files.delete(entry);
                    continue;
                }
                long first = DataFile.parseId(fileName, DataFile.Kind.LOG);
                if (first >= 1 && Files.isRegularFile(entry)) {
                    found.put(first, entry);
                }
            }
        }
        long persistedFirst = readFirstIndex(dir.resolve(FIRST_INDEX_FILE));
        try {
            log.load(found, persistedFirst);
        } catch (IOException | RuntimeException e) {
            log.closeFiles();
            if (e instanceof CorruptDataException damage) {
                throw SegmentReplay.refusingToOpen(damage);
            }
            throw e;
        }
        return log;
    }

    private void load(TreeMap<Long, Path> found, long persistedFirst) throws IOException {
        int remaining = found.size();
        for (Map.Entry<Long, Path> entry : found.entrySet()) {
            boolean last = --remaining == 0;
            DataFile file = last ? DataFile.openExisting(entry.getValue(), entry.getKey(), DataFile.Kind.LOG, opener)
                    : DataFile.openReadOnly(entry.getValue(), entry.getKey(), DataFile.Kind.LOG);
            Segment segment = new Segment(entry.getKey(), file);
            segments.add(segment);
            SegmentReplay.Outcome outcome = SegmentReplay.replay(file, SegmentReplay.Rules.LOG, last,
                    entry.getKey() - 1, (view, recordOffset, recordBytes, index) -> segment.add(recordOffset,
                            recordBytes));
            if (outcome.torn()) {
                file.truncate(outcome.validBytes());
                LOG.log(System.Logger.Level.WARNING, "durable log " + file.path() + ": torn tail at byte offset "
                        + outcome.validBytes() + " (" + outcome.tornReason() + ") cut off");
            } else {
                file.recovered(outcome.validBytes());
            }
        }
        // Segments must follow each other, except that older ones may be leftovers of a prefix
        // truncation that was interrupted before it deleted them.
        for (int i = segments.size() - 1; i > 0; i--) {
            Segment older = segments.get(i - 1);
            Segment newer = segments.get(i);
            if (older.lastIndex() + 1 != newer.firstIndex) {
                if (newer.firstIndex > persistedFirst) {
                    throw SegmentReplay.corrupt(newer.file, 0, "the durable log " + name + " has a gap: the previous "
                            + "segment ends at index " + older.lastIndex() + " but this one starts at "
                            + newer.firstIndex);
                }
                deleteSegments(new ArrayList<>(segments.subList(0, i)));
                break;
            }
        }
        long first = segments.isEmpty() ? Math.max(1, persistedFirst) : Math.max(segments.get(0).firstIndex,
                persistedFirst);
        long last = segments.isEmpty() ? first - 1 : segments.get(segments.size() - 1).lastIndex();
        if (segments.isEmpty() || first > last + 1) {
            startOver(first);
            last = first - 1;
        }
        firstIndex = first;
        framedIndex = last;
        writtenIndex = last;
        dropSegmentsBefore(first);
    }

    // ---------------------------------------------------------------- agent side

    /** Frames {@code append} into the write buffer (rolling the segment first if it must). Agent only. */
    void frame(LogAppend append) throws IOException {
        if (append.index() != framedIndex + 1) {
            throw new IllegalStateException("durable log " + name + ": append of index " + append.index()
                    + " after " + framedIndex);
        }
        byte[] entry = append.entry();
        int recordBytes = WalRecordFormat.HEADER_BYTES + entry.length;
        Segment active = active();
        long position = active.file.size() + bufferEnd;
        if (position > 0 && position + recordBytes > segmentBytes) {
            writeOut();
            active = roll(append.index());
            position = 0;
        }
        if (recordBytes > buffer.capacity() - bufferEnd) {
            writeOut();
        }
        if (recordBytes > buffer.capacity()) {
            byte[] record = WalRecordFormat.newRecord(WalRecordFormat.TYPE_LOG_ENTRY, append.index(), entry, 0,
                    entry.length);
            active.file.append(ByteBuffer.wrap(record));
            dirty = true;
            synchronized (this) {
                active.add(position, recordBytes);
            }
            framedIndex = append.index();
            writtenIndex = framedIndex;
            return;
        }
        int at = bufferEnd;
        buffer.put(at + WalRecordFormat.TYPE_OFFSET, WalRecordFormat.TYPE_LOG_ENTRY);
        buffer.putLong(at + WalRecordFormat.WORD_OFFSET, append.index());
        buffer.put(at + WalRecordFormat.BODY_OFFSET, entry, 0, entry.length);
        WalRecordFormat.seal(buffer, checksumView, at, recordBytes, crc);
        bufferEnd = at + recordBytes;
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, pendingCount * 2);
        }
        pending[pendingCount++] = (position << 32) | recordBytes;
        framedIndex = append.index();
    }

    /** Writes the framed entries and makes them readable. Agent only. */
    void writeOut() throws IOException {
        if (bufferEnd == 0) {
            return;
        }
        Segment active = active();
        buffer.limit(bufferEnd).position(0);
        active.file.append(buffer);
        buffer.clear();
        bufferEnd = 0;
        dirty = true;
        synchronized (this) {
            for (int i = 0; i < pendingCount; i++) {
                active.add(pending[i] >>> 32, (int) pending[i]);
            }
        }
        pendingCount = 0;
        writtenIndex = framedIndex;
    }

    /** fsync of the active segment if anything was written since the last one. Agent only. */
    boolean force() throws IOException {
        if (!dirty) {
            return false;
        }
        active().file.force();
        dirty = false;
        return true;
    }

    private Segment roll(long firstIndexOfNext) throws IOException {
        Segment old = active();
        old.file.seal();
        dirty = false;
        DataFile file = DataFile.create(dir, firstIndexOfNext, DataFile.Kind.LOG, opener);
        Segment next = new Segment(firstIndexOfNext, file);
        synchronized (this) {
            segments.add(next);
        }
        DataFiles.syncDirectory(dir);
        return next;
    }

    private synchronized Segment active() {
        return segments.get(segments.size() - 1);
    }

    /** Removes entries from {@code fromIndex} on, durably. Agent only, between groups. */
    void truncateSuffix(long fromIndex) throws IOException {
        writeOut();
        if (fromIndex > framedIndex) {
            return;
        }
        List<Segment> removed = new ArrayList<>();
        Segment last;
        synchronized (this) {
            while (segments.size() > 1 && segments.get(segments.size() - 1).firstIndex >= fromIndex) {
                removed.add(segments.remove(segments.size() - 1));
            }
            last = segments.get(segments.size() - 1);
        }
        deleteFiles(removed);
        int keep = (int) Math.max(0, fromIndex - last.firstIndex);
        long cut = keep == 0 ? 0 : last.offsets[keep - 1] + (long) last.lengths[keep - 1];
        if (last.file.isSealed()) {
            DataFile writable = DataFile.openExisting(last.file.path(), last.file.id(), DataFile.Kind.LOG, opener);
            DataFile sealed = last.file;
            synchronized (this) {
                last.file = writable;
            }
            sealed.close();
        }
        synchronized (this) {
            last.count = keep;
        }
        last.file.truncate(cut);
        DataFiles.syncDirectory(dir);
        framedIndex = fromIndex - 1;
        writtenIndex = framedIndex;
        dirty = false;
    }

    /** Lets entries before {@code beforeIndex} go, durably. Agent only, between groups. */
    void truncatePrefix(long beforeIndex) throws IOException {
        writeOut();
        if (beforeIndex <= firstIndex) {
            return;
        }
        writeFirstIndex(beforeIndex);
        if (beforeIndex > framedIndex + 1) {
            startOver(beforeIndex);
            framedIndex = beforeIndex - 1;
            writtenIndex = framedIndex;
        }
        firstIndex = beforeIndex;
        dropSegmentsBefore(beforeIndex);
    }

    /** Replaces every segment with one empty segment starting at {@code first}. */
    private void startOver(long first) throws IOException {
        if (!segments.isEmpty() && active().firstIndex == first && active().count == 0) {
            return;
        }
        DataFile file = DataFile.create(dir, first, DataFile.Kind.LOG, opener);
        List<Segment> old;
        synchronized (this) {
            old = new ArrayList<>(segments);
            segments.clear();
            segments.add(new Segment(first, file));
        }
        DataFiles.syncDirectory(dir);
        deleteFiles(old);
        dirty = false;
    }

    /** Deletes sealed segments all of whose entries are before {@code first}. */
    private void dropSegmentsBefore(long first) throws IOException {
        List<Segment> dropped = new ArrayList<>();
        synchronized (this) {
            while (segments.size() > 1 && segments.get(1).firstIndex <= first) {
                dropped.add(segments.remove(0));
            }
        }
        deleteFiles(dropped);
    }

    private void deleteSegments(List<Segment> stale) throws IOException {
        synchronized (this) {
            segments.removeAll(stale);
        }
        deleteFiles(stale);
    }

    private void deleteFiles(List<Segment> removed) throws IOException {
        if (removed.isEmpty()) {
            return;
        }
        for (Segment segment : removed) {
            segment.file.close();
            Files.deleteIfExists(segment.file.path());
        }
        DataFiles.syncDirectory(dir);
    }

    private void writeFirstIndex(long index) throws IOException {
        Path target = dir.resolve(FIRST_INDEX_FILE);
        Path temp = dir.resolve(FIRST_INDEX_FILE + DataFile.TEMP_SUFFIX);
        ByteBuffer content = ByteBuffer.allocate(Long.BYTES + Integer.BYTES);
        content.putLong(0, index);
        content.putInt(Long.BYTES, WalRecordFormat.checksum(content.array(), 0, Long.BYTES));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                channel.write(content);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        DataFiles.syncDirectory(dir);
    }

    static long readFirstIndex(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] content = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(content);
        if (content.length != Long.BYTES + Integer.BYTES
                || buffer.getInt(Long.BYTES) != WalRecordFormat.checksum(content, 0, Long.BYTES)) {
            throw new IOException("durable log file " + file + " is corrupt (bad length or checksum); the node will "
                    + "not start: restore this node's data directory from a backup or rebuild it from a replica");
        }
        return buffer.getLong(0);
    }

    // ---------------------------------------------------------------- reader side

    /**
     * The entry at {@code index}, which must be between {@link #firstIndex()} and
     * {@link #writtenIndex()}.
     */
    byte[] read(long index) throws IOException {
        DataFile file;
        long offset;
        int length;
        synchronized (this) {
            Segment segment = null;
            for (int i = segments.size() - 1; i >= 0; i--) {
                if (segments.get(i).firstIndex <= index) {
                    segment = segments.get(i);
                    break;
                }
            }
            if (segment == null || index > segment.lastIndex() || index < firstIndex) {
                throw new IllegalArgumentException("durable log " + name + " holds no entry " + index + " (it holds "
                        + firstIndex + ".." + writtenIndex + ")");
            }
            int slot = (int) (index - segment.firstIndex);
            file = segment.file;
            offset = segment.offsets[slot];
            length = segment.lengths[slot];
        }
        ByteBuffer record = ByteBuffer.allocate(length);
        file.read(offset, record);
        int stored = record.getInt(WalRecordFormat.CRC_OFFSET);
        if (record.getInt(WalRecordFormat.LENGTH_OFFSET) != length - WalRecordFormat.UNCOUNTED_BYTES
                || record.get(WalRecordFormat.TYPE_OFFSET) != WalRecordFormat.TYPE_LOG_ENTRY
                || record.getLong(WalRecordFormat.WORD_OFFSET) != index
                || stored != WalRecordFormat.checksum(record.array(), WalRecordFormat.TYPE_OFFSET,
                length - WalRecordFormat.TYPE_OFFSET)) {
            throw SegmentReplay.corrupt(file, offset, "the durable-log entry " + index + " does not check out "
                    + "(length, type, index or checksum); it is not served");
        }
        return Arrays.copyOfRange(record.array(), WalRecordFormat.BODY_OFFSET, length);
    }

    /** Closes the files (after the agent wrote and forced everything). */
    void closeFiles() throws IOException {
        IOException failure = null;
        List<Segment> all;
        synchronized (this) {
            all = new ArrayList<>(segments);
        }
        for (Segment segment : all) {
            try {
                segment.file.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Writes, forces and closes; agent only (the last command for this log). */
    void close() throws IOException {
        writeOut();
        force();
        closeFiles();
    }

    @Override
    public String toString() {
        return "durable log " + name + " (" + dir + ")";
    }
}
