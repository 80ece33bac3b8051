package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file of the log, named by its zero-padded number ({@code 00000000000000000001.wal}).
 *
 * <p>Threading: appends, {@link #force}, {@link #seal} and {@link #truncate} come from one
 * thread at a time (recovery, then the group-commit writer). {@link #read} is safe from any
 * thread and uses a separate channel: a reader interrupted mid-read closes only that channel
 * (NIO closes a channel on interrupt), which is then reopened, so an interrupted reader cannot
 * break the writer.
 */
final class WalSegment {
    static final String SUFFIX = ".wal";
    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.wal");

    private final long id;
    private final Path path;
    private FileChannel writeChannel;
    private volatile FileChannel readChannel;
    private volatile long size;
    private volatile boolean closed;

    private WalSegment(long id, Path path, FileChannel writeChannel, long size) throws IOException {
        this.id = id;
        this.path = path;
        this.writeChannel = writeChannel;
        this.size = size;
        this.readChannel = FileChannel.open(path, StandardOpenOption.READ);
    }

    /** Creates a new, empty segment file; the caller fsyncs the directory. */
    static WalSegment create(Path dir, long id, ChannelOpener opener) throws IOException {
        Path path = dir.resolve(fileName(id));
        FileChannel channel = opener.open(path, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
        return open(id, path, channel, 0);
    }

    /** Opens an existing segment file for recovery; {@link #size()} is 0 until recovery sets it. */
    static WalSegment openExisting(Path path, long id, ChannelOpener opener) throws IOException {
        FileChannel channel = opener.open(path, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE));
        return open(id, path, channel, 0);
    }

    private static WalSegment open(long id, Path path, FileChannel channel, long size) throws IOException {
        try {
            return new WalSegment(id, path, channel, size);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static String fileName(long id) {
        return String.format(Locale.ROOT, "%020d%s", id, SUFFIX);
    }

    /** The segment number of a file named like a segment, if it is one. */
    static OptionalLong parseId(String fileName) {
        Matcher matcher = NAME.matcher(fileName);
        if (!matcher.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(matcher.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    long id() {
        return id;
    }

    Path path() {
        return path;
    }

    /** Bytes of whole records in the file; appends go here. */
    long size() {
        return size;
    }

    /** The read-write channel, for recovery to map and scan. */
    FileChannel channel() {
        return writeChannel;
    }

    /** Recovery: the file holds {@code validBytes} of good records (nothing is cut). */
    void recovered(long validBytes) {
        size = validBytes;
    }

    /** Recovery: cuts a torn tail at {@code validBytes} and makes the cut durable. */
    void truncate(long validBytes) throws IOException {
        writeChannel.truncate(validBytes);
        writeChannel.force(true);
        size = validBytes;
    }

    /** Writes {@code buffers} (holding {@code bytes} in total) at the end of the segment. */
    void append(ByteBuffer[] buffers, long bytes) throws IOException {
        FileChannel channel = writeChannel;
        channel.position(size);
        long written = 0;
        while (written < bytes) {
            written += channel.write(buffers);
        }
        size += bytes;
    }

    /** fsync of the file's data (and its size). */
    void force() throws IOException {
        writeChannel.force(false);
    }

    /** Forces and closes the write side; the segment stays readable. */
    void seal() throws IOException {
        FileChannel channel = writeChannel;
        if (channel != null) {
            channel.force(false);
            channel.close();
            writeChannel = null;
        }
    }

    boolean isSealed() {
        return writeChannel == null;
    }

    /** Reads {@code length} bytes at {@code position}. */
    byte[] read(long position, int length) throws IOException {
        byte[] out = new byte[length];
        ByteBuffer buffer = ByteBuffer.wrap(out);
        FileChannel channel = readChannel;
        try {
            while (buffer.hasRemaining()) {
                int n = channel.read(buffer, position + buffer.position());
                if (n < 0) {
                    throw new IOException(path + ": unexpected end of file reading " + length + " bytes at byte offset "
                            + position + " (file has " + channel.size() + " bytes)");
                }
            }
        } catch (ClosedChannelException e) {
            reopenReadChannel(channel);
            throw e;
        }
        return out;
    }

    private synchronized void reopenReadChannel(FileChannel broken) throws IOException {
        if (!closed && readChannel == broken) {
            readChannel = FileChannel.open(path, StandardOpenOption.READ);
        }
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
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
