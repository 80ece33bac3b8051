package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.modkv.api.storage.WriteBatch;

/**
 * The intent log under {@code intents/}: one file per group of batches (format in
 * {@link IntentFormat}), made durable before any key file changes and deleted once a
 * checkpoint covers it.
 *
 * <p>Duties: {@link #append} returns only when the file and its directory entry are durable
 * (with {@code perkey.sync=always}); a file is deleted only after the {@code checkpoint} file
 * durably records a sequence at or past its last batch, so an intent that reappears after a
 * crash (its deletion was not yet durable) is recognised as stale and never replayed over newer
 * key files.
 *
 * <p>Threads: the committer appends, the flusher deletes; recovery runs before either starts.
 */
final class IntentLog {
    private static final System.Logger LOG = System.getLogger(IntentLog.class.getName());

    private final Path dir;
    private final FileSync sync;
    private final ConcurrentLinkedDeque<Written> live = new ConcurrentLinkedDeque<>();

    /** An intent file that exists, in sequence order. */
    private record Written(Path path, long lastSequence) {
    }

    /** A batch found in the intent log that recovery must apply again. */
    record Redo(long sequence, WriteBatch batch) {
    }

    IntentLog(Path dir, FileSync sync) {
        this.dir = dir;
        this.sync = sync;
    }

    /**
     * Reads the intent log left by the previous run. Files wholly covered by
     * {@code checkpointed} are deleted; a damaged newest file is a group whose write was cut
     * short, never acknowledged, and is deleted; the batches after {@code checkpointed} are
     * returned in sequence order, and their files stay until a checkpoint covers them.
     *
     * @throws IOException if an older file is damaged or sequence numbers are missing: the
     *     disk lost data that was once durable (the message names the file and offset)
     */
    List<Redo> recover(long checkpointed) throws IOException {
        TreeMap<Long, Path> files = list();
        List<Redo> redo = new ArrayList<>();
        long next = checkpointed + 1;
        boolean firstLive = true;
        boolean deleted = false;
        int remaining = files.size();
        for (Map.Entry<Long, Path> file : files.entrySet()) {
            boolean newest = --remaining == 0;
            Path path = file.getValue();
            IntentFormat.Group group;
            try {
                group = IntentFormat.decode(path, file.getKey(), Files.readAllBytes(path));
            } catch (IntentFormat.Damaged e) {
                if (!newest) {
                    throw new IOException(e.getMessage() + ". It is not the newest intent file, so it was complete "
                            + "and durable once: the disk lost data. Restore the data directory from a backup", e);
                }
                LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; it is the newest intent file, written when "
                        + "the node stopped, and its batches were never acknowledged: dropping it");
                Files.delete(path);
                deleted = true;
                continue;
            }
            if (group.lastSequence() <= checkpointed) {
                Files.delete(path);
                deleted = true;
                continue;
            }
            if (firstLive ? group.firstSequence() > next : group.firstSequence() != next) {
                throw new IOException("intent file " + path + " starts at sequence " + group.firstSequence()
                        + " but the batches from sequence " + next + " are missing (checkpoint at " + checkpointed
                        + "): the disk lost data. Restore the data directory from a backup");
            }
            firstLive = false;
            for (int i = 0; i < group.batches().size(); i++) {
                long sequence = group.firstSequence() + i;
                if (sequence > checkpointed) {
                    redo.add(new Redo(sequence, group.batches().get(i)));
                }
            }
            next = group.lastSequence() + 1;
            live.add(new Written(path, group.lastSequence()));
        }
        if (deleted) {
            sync.directory(dir);
        }
        return redo;
    }

    /**
     * Writes {@code group} as one intent file, its first batch numbered {@code firstSequence},
     * and makes it durable: fsync of the file, then of the directory.
     */
    void append(long firstSequence, List<PendingWrite> group) throws IOException {
        Path path = dir.resolve(IntentFormat.fileName(firstSequence));
        ByteBuffer[] buffers = new ByteBuffer[1 + 2 * group.size()];
        buffers[0] = IntentFormat.header(firstSequence, group.size());
        long remaining = IntentFormat.HEADER_BYTES;
        for (int i = 0; i < group.size(); i++) {
            PendingWrite write = group.get(i);
            buffers[1 + 2 * i] = IntentFormat.recordHeader(firstSequence + i, write.encoding, write.length);
            buffers[2 + 2 * i] = ByteBuffer.wrap(write.encoding, 0, write.length);
            remaining += IntentFormat.RECORD_HEADER_BYTES + write.length;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (remaining > 0) {
                remaining -= channel.write(buffers);
            }
            sync.file(channel);
        }
        sync.directory(dir);
        live.add(new Written(path, firstSequence + group.size() - 1));
    }

    /**
     * Deletes every intent file whose batches all have sequence {@code <= sequence}. Only after
     * the checkpoint file durably says {@code sequence}; the deletions need no fsync.
     */
    void deleteThrough(long sequence) throws IOException {
        Written oldest;
        while ((oldest = live.peekFirst()) != null && oldest.lastSequence() <= sequence) {
            Files.deleteIfExists(oldest.path());
            live.pollFirst();
        }
    }

    /** Number of intent files not yet deleted. */
    int liveFiles() {
        return live.size();
    }

    private TreeMap<Long, Path> list() throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                OptionalLong first = IntentFormat.parseFileName(entry.getFileName().toString());
                if (first.isPresent()) {
                    files.put(first.getAsLong(), entry);
                } else {
                    LOG.log(System.Logger.Level.WARNING, "ignoring {0}: not an intent file", entry);
                }
            }
        }
        return files;
    }
}
