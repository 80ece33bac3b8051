package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Set;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A hint file ({@code <id>.hint}) lists the entries of one sealed data file without their
 * values, so a restart fills the key directory from it instead of reading the whole data file.
 * The merger writes one for every merge output and for every sealed segment.
 *
 * <p>Layout: records in the usual framing ({@link WalRecordFormat}), all of type
 * {@link WalRecordFormat#TYPE_HINT}:
 * <pre>
 *   header  word=0    body: version:u8 dataFileId:i64 dataFileSize:i64 minSequence:i64 maxSequence:i64
 *   chunk   word=n    body: n entries of  sequence:i64 entryOffset:i64 entryLength:i32 type:u8
 *                                         checksum:i32 keyLength:i32 key
 *   end     word=-1   body: totalEntries:i64
 * </pre>
 * {@code checksum} is the entry's {@link EntryChecksum} (0 for a delete), computed from a record
 * whose own checksum was checked; the key directory keeps it so that reads check what they
 * serve. Version 1 hints, which lack it, are not used: their data file is replayed once and the
 * merger writes a version-2 hint.
 * A hint is written under a temporary name, fsync'd and renamed; it is used only if every
 * record checks out, the end record is there and the data file has exactly the recorded size.
 * Otherwise it is ignored (with a warning) and the data file is replayed: a hint is a shortcut,
 * never the only copy of anything.
 */
final class HintFile {
    static final String SUFFIX = ".hint";
    private static final System.Logger LOG = System.getLogger(HintFile.class.getName());
    static final byte VERSION = 2;
    private static final long HEADER_WORD = 0;
    private static final long END_WORD = -1;
    private static final int HEADER_BODY_BYTES = 1 + 4 * Long.BYTES;
    /** The header record is written last, into the space reserved for it at the start. */
    private static final int HEADER_RECORD_BYTES = WalRecordFormat.HEADER_BYTES + HEADER_BODY_BYTES;
    static final int ENTRY_FIXED_BYTES = Long.BYTES * 2 + Integer.BYTES + 1 + Integer.BYTES + Integer.BYTES;
    private static final int CHUNK_BYTES = 256 * 1024;

    /**
     * Receives each entry of a hint file, in place: the key bytes stay valid until
     * {@link #endOfHint()}, after which the hint is unmapped.
     */
    @FunctionalInterface
    interface EntrySink {
        void accept(long sequence, long entryOffset, int entryLength, byte type, int checksum, DirectBuffer key,
                    int keyOffset, int keyLength);

        /** The last entry was passed; the hint's bytes are about to go away. */
        default void endOfHint() {
        }
    }

    /** What the header says about the data file. */
    record Header(long dataFileId, long dataFileSize, long minSequence, long maxSequence, long entries) {
    }

    private HintFile() {
    }

    static String fileName(long dataFileId) {
        return String.format(Locale.ROOT, "%020d%s", dataFileId, SUFFIX);
    }

    static Path path(Path dir, long dataFileId) {
        return dir.resolve(fileName(dataFileId));
    }

    /** Writes a hint file for one data file, under a temporary name until {@link #finish}. Not thread-safe. */
    static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path temp;
        private final FileChannel channel;
        private final CRC32C crc = new CRC32C();
        private ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES + 4096);
        private int chunkEntries;
        private long entries;
        private boolean finished;

        Writer(Path dir, long dataFileId, ChannelOpener opener) throws IOException {
            this.target = path(dir, dataFileId);
            this.temp = dir.resolve(fileName(dataFileId) + DataFile.TEMP_SUFFIX);
            Files.deleteIfExists(temp);
            this.channel = opener.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            channel.position(HEADER_RECORD_BYTES);
            chunk.position(WalRecordFormat.HEADER_BYTES);
        }

        void add(long sequence, long entryOffset, int entryLength, byte type, int checksum, DirectBuffer key,
                 int keyOffset, int keyLength) throws IOException {
            int needed = ENTRY_FIXED_BYTES + keyLength;
            if (chunk.position() + needed > chunk.capacity()) {
                flushChunk();
                if (chunk.position() + needed > chunk.capacity()) {
                    chunk = ByteBuffer.allocate(WalRecordFormat.HEADER_BYTES + needed);
                    chunk.position(WalRecordFormat.HEADER_BYTES);
                }
            }
            chunk.putLong(sequence).putLong(entryOffset).putInt(entryLength).put(type).putInt(checksum)
                    .putInt(keyLength);
            int at = chunk.position();
            key.getBytes(keyOffset, chunk, at, keyLength);
            chunk.position(at + keyLength);
            chunkEntries++;
            entries++;
            if (chunk.position() >= CHUNK_BYTES) {
                flushChunk();
            }
        }

        private void flushChunk() throws IOException {
            if (chunkEntries == 0) {
                return;
            }
            writeRecord(chunk, chunkEntries);
            chunk.clear();
            chunk.position(WalRecordFormat.HEADER_BYTES);
            chunkEntries = 0;
        }

        /** Frames {@code buffer[HEADER_BYTES, position)} as a hint record with {@code word} and writes it. */
        private void writeRecord(ByteBuffer buffer, long word) throws IOException {
            int recordBytes = buffer.position();
            buffer.put(WalRecordFormat.TYPE_OFFSET, WalRecordFormat.TYPE_HINT);
            buffer.putLong(WalRecordFormat.WORD_OFFSET, word);
            buffer.putInt(WalRecordFormat.LENGTH_OFFSET, recordBytes - WalRecordFormat.UNCOUNTED_BYTES);
            crc.reset();
            crc.update(buffer.array(), WalRecordFormat.TYPE_OFFSET, recordBytes - WalRecordFormat.TYPE_OFFSET);
            buffer.putInt(WalRecordFormat.CRC_OFFSET, (int) crc.getValue());
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }

        /** Writes end and header, fsyncs and renames to the final name. The caller fsyncs the directory. */
        void finish(long dataFileId, long dataFileSize, long minSequence, long maxSequence) throws IOException {
            flushChunk();
            ByteBuffer end = ByteBuffer.allocate(WalRecordFormat.HEADER_BYTES + Long.BYTES);
            end.position(WalRecordFormat.HEADER_BYTES);
            end.putLong(entries);
            writeRecord(end, END_WORD);
            ByteBuffer header = ByteBuffer.allocate(HEADER_RECORD_BYTES);
            header.position(WalRecordFormat.HEADER_BYTES);
            header.put(VERSION).putLong(dataFileId).putLong(dataFileSize).putLong(minSequence).putLong(maxSequence);
            channel.position(0);
            writeRecord(header, HEADER_WORD);
            channel.force(false);
            channel.close();
            Files.move(temp, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            finished = true;
        }

        /** Drops an unfinished hint. */
        @Override
        public void close() throws IOException {
            if (channel.isOpen()) {
                channel.close();
            }
            if (!finished) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /**
     * What checking a hint's framing found: its header, or why the hint cannot be used.
     *
     * @param header the header, with the number of entries the records count; {@code null} when
     *     the hint is unusable
     * @param problem why the hint is unusable, or {@code null}
     * @param offset byte offset of the problem
     * @param outdated whether the only problem is that an older version wrote the hint
     */
    record Framing(Header header, String problem, long offset, boolean outdated) {
        static Framing unusable(String problem, long offset) {
            return new Framing(null, problem, offset, false);
        }
    }

    /**
     * Checks the hint for {@code data} and, if it is good, feeds every entry to {@code sink}.
     *
     * @return the header, or {@code null} if the hint is missing or unusable (the caller replays
     *     the data file; the reason is logged)
     */
    static Header load(Path hint, DataFile data, EntrySink sink) throws IOException {
        if (!Files.isRegularFile(hint)) {
            return null;
        }
        Framing framing = read(hint, data.id(), data.size(), sink);
        if (framing.problem() != null) {
            LOG.log(System.Logger.Level.WARNING, "ignoring hint file " + hint + ": " + framing.problem()
                    + "; replaying its data file instead");
            return null;
        }
        return framing.header();
    }

    /**
     * Reads the hint of data file {@code dataFileId} (of {@code dataFileSize} bytes): checks every
     * record and that the header describes that file, then, only if all is well, feeds every
     * entry to {@code sink}. Used by recovery and by the offline check ({@link WalDirectoryCheck}).
     *
     * @return the framing; entries were passed to {@code sink} only if it names no problem
     * @throws IOException if the hint cannot be read, or its records check out but an entry does
     *     not fit (the message names the offset)
     */
    static Framing read(Path hint, long dataFileId, long dataFileSize, EntrySink sink) throws IOException {
        try (FileChannel channel = FileChannel.open(hint, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                return Framing.unusable("it is larger than any hint this engine writes", 0);
            }
            if (size == 0) {
                return Framing.unusable("it is empty", 0);
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try {
                UnsafeBuffer view = new UnsafeBuffer(mapped);
                Framing framing = framing(view, mapped.duplicate(), (int) size);
                if (framing.problem() != null) {
                    return framing;
                }
                Header header = framing.header();
                if (header.dataFileId() != dataFileId || header.dataFileSize() != dataFileSize) {
                    return Framing.unusable("it describes data file " + header.dataFileId() + " of "
                            + header.dataFileSize() + " bytes, not data file " + dataFileId + " of " + dataFileSize
                            + " bytes", 0);
                }
                entries(hint, view, (int) size, dataFileSize, sink);
                return framing;
            } finally {
                IoUtil.unmap(mapped);
            }
        }
    }

    /** Pass 1: every record intact, header first, end last, counts agree. */
    private static Framing framing(UnsafeBuffer view, ByteBuffer checksumView, int limit) {
        CRC32C crc = new CRC32C();
        Header header = null;
        long counted = 0;
        boolean ended = false;
        int p = 0;
        while (p < limit) {
            if (ended) {
                return Framing.unusable("bytes follow its end record", p);
            }
            if (limit - p < WalRecordFormat.HEADER_BYTES) {
                return Framing.unusable("it is cut short at byte offset " + p, p);
            }
            int length = view.getInt(p, ByteOrder.BIG_ENDIAN);
            if (length < WalRecordFormat.MIN_LENGTH || length > limit - p - WalRecordFormat.UNCOUNTED_BYTES) {
                return Framing.unusable("a bad record length at byte offset " + p, p);
            }
            int stored = view.getInt(p + WalRecordFormat.CRC_OFFSET, ByteOrder.BIG_ENDIAN);
            if (stored != WalRecordFormat.checksum(checksumView, p + WalRecordFormat.TYPE_OFFSET, length, crc)
                    || view.getByte(p + WalRecordFormat.TYPE_OFFSET) != WalRecordFormat.TYPE_HINT) {
                return Framing.unusable("a damaged record at byte offset " + p, p);
            }
            long word = view.getLong(p + WalRecordFormat.WORD_OFFSET, ByteOrder.BIG_ENDIAN);
            int body = p + WalRecordFormat.BODY_OFFSET;
            if (p == 0) {
                if (word != HEADER_WORD) {
                    return Framing.unusable("it does not start with a header", 0);
                }
                if (view.getByte(body) != VERSION) {
                    return new Framing(null, "it is a version-" + view.getByte(body) + " hint, this version reads "
                            + "version " + VERSION + " (which carries entry checksums); the merger writes a new one",
                            body, true);
                }
                header = new Header(view.getLong(body + 1, ByteOrder.BIG_ENDIAN),
                        view.getLong(body + 9, ByteOrder.BIG_ENDIAN), view.getLong(body + 17, ByteOrder.BIG_ENDIAN),
                        view.getLong(body + 25, ByteOrder.BIG_ENDIAN), 0);
            } else if (word == END_WORD) {
                if (view.getLong(body, ByteOrder.BIG_ENDIAN) != counted) {
                    return Framing.unusable("its end record counts a different number of entries", p);
                }
                ended = true;
            } else if (word <= 0) {
                return Framing.unusable("an unexpected record at byte offset " + p, p);
            } else {
                counted += word;
            }
            p += (int) WalRecordFormat.recordBytes(length);
        }
        if (header == null || !ended) {
            return Framing.unusable("it has no end record (it was not finished)", p);
        }
        return new Framing(new Header(header.dataFileId(), header.dataFileSize(), header.minSequence(),
                header.maxSequence(), counted), null, 0, false);
    }

    /** Pass 2: the entries, after pass 1 found every record intact. */
    private static void entries(Path hint, UnsafeBuffer view, int limit, long dataFileSize, EntrySink sink)
            throws IOException {
        int p = 0;
        while (p < limit) {
            int length = view.getInt(p, ByteOrder.BIG_ENDIAN);
            long word = view.getLong(p + WalRecordFormat.WORD_OFFSET, ByteOrder.BIG_ENDIAN);
            int end = p + (int) WalRecordFormat.recordBytes(length);
            if (p > 0 && word > 0) {
                int q = p + WalRecordFormat.BODY_OFFSET;
                for (long i = 0; i < word; i++) {
                    if (q + ENTRY_FIXED_BYTES > end) {
                        throw corrupt(hint, q);
                    }
                    long sequence = view.getLong(q, ByteOrder.BIG_ENDIAN);
                    long entryOffset = view.getLong(q + 8, ByteOrder.BIG_ENDIAN);
                    int entryLength = view.getInt(q + 16, ByteOrder.BIG_ENDIAN);
                    byte type = view.getByte(q + 20);
                    int checksum = view.getInt(q + 21, ByteOrder.BIG_ENDIAN);
                    int keyLength = view.getInt(q + 25, ByteOrder.BIG_ENDIAN);
                    if (keyLength < 0 || q + ENTRY_FIXED_BYTES + keyLength > end
                            || entryOffset < 0 || entryOffset + entryLength > dataFileSize) {
                        throw corrupt(hint, q);
                    }
                    sink.accept(sequence, entryOffset, entryLength, type, checksum, view, q + ENTRY_FIXED_BYTES,
                            keyLength);
                    q += ENTRY_FIXED_BYTES + keyLength;
                }
            }
            p = end;
        }
        sink.endOfHint();
    }

    private static IOException corrupt(Path hint, int offset) {
        return new IOException("hint file " + hint + " is corrupt at byte offset " + offset + ": its checksums match "
                + "but an entry does not fit. Delete the hint file to rebuild the key directory from the data file.");
    }
}
