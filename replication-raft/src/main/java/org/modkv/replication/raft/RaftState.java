package org.modkv.replication.raft;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * What Raft must remember across restarts besides its log: the current term, the vote cast in
 * it, and where the log was last compacted (the last index and term the storage engine holds
 * durably, so entries up to there need not be kept). Kept in one small file, replaced
 * atomically (written to a temporary file, fsync'd, renamed, directory fsync'd) before
 * {@link #save} returns, since a vote must never be forgotten once it has been sent.
 *
 * <p>Format: magic, version, term, snapshot index, snapshot term, the vote (UTF, empty for
 * none), then a CRC32C of everything before it. A file with a bad checksum is refused with its
 * path: guessing a term could make this node vote twice.
 */
final class RaftState {
    private static final int MAGIC = 0x72616674; // "raft"
    private static final int VERSION = 1;
    static final String FILE_NAME = "raft-state";

    private final Path file;
    private long term;
    private String votedFor;
    private long snapshotIndex;
    private long snapshotTerm;

    private RaftState(Path file) {
        this.file = file;
    }

    /** Loads the state in {@code dir}, or starts at term 0 when there is none. */
    static RaftState load(Path dir) throws IOException {
        RaftState state = new RaftState(dir.resolve(FILE_NAME));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(state.file);
        } catch (NoSuchFileException e) {
            return state;
        }
        if (bytes.length < Integer.BYTES) {
            throw new IOException("Raft state file " + state.file + " is truncated (" + bytes.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - Integer.BYTES);
        int stored = ByteBuffer.wrap(bytes).getInt(bytes.length - Integer.BYTES);
        if ((int) crc.getValue() != stored) {
            throw new IOException("Raft state file " + state.file + " fails its checksum; refusing to start, since a "
                    + "wrong term or vote could make this node vote twice in one term");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("Raft state file " + state.file + " is not a version " + VERSION + " state file");
            }
            state.term = in.readLong();
            state.snapshotIndex = in.readLong();
            state.snapshotTerm = in.readLong();
            String vote = in.readUTF();
            state.votedFor = vote.isEmpty() ? null : vote;
        }
        return state;
    }

    long term() {
        return term;
    }

    Optional<String> votedFor() {
        return Optional.ofNullable(votedFor);
    }

    long snapshotIndex() {
        return snapshotIndex;
    }

    long snapshotTerm() {
        return snapshotTerm;
    }

    /** Records a new term and the vote in it (null for none), durably. */
    void saveTermAndVote(long newTerm, String vote) {
        term = newTerm;
        votedFor = vote;
        save();
    }

    /** Records that storage holds every entry up to {@code index} (of {@code indexTerm}) durably. */
    void saveSnapshot(long index, long indexTerm) {
        snapshotIndex = index;
        snapshotTerm = indexTerm;
        save();
    }

    private void save() {
        try {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream(64);
            DataOutputStream out = new DataOutputStream(buffer);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(term);
            out.writeLong(snapshotIndex);
            out.writeLong(snapshotTerm);
            out.writeUTF(votedFor == null ? "" : votedFor);
            CRC32C crc = new CRC32C();
            crc.update(buffer.toByteArray());
            out.writeInt((int) crc.getValue());
            Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(buffer.toByteArray());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            }
        } catch (IOException e) {
            // A term or vote that may not be on disk cannot be acted on: the caller stops the node.
            throw new UncheckedIOException("cannot save Raft state to " + file + ": " + e.getMessage(), e);
        }
    }
}
