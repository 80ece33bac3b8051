package org.modkv.storage.perkey;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The {@code checkpoint} file: the sequence number up to which every batch is durably in the
 * key files, so the intent files up to it may go. A small text file, replaced atomically:
 *
 * <pre>
 *   modkv-perkey checkpoint 1
 *   sequence=1234
 *   crc32c=5f3a09c1
 * </pre>
 * (the CRC32C covers the first two lines). It is also where {@code lastSequence()} survives a
 * restart once the intent files are gone.
 */
final class CheckpointFile {
    static final String NAME = "checkpoint";
    private static final String FIRST_LINE = "modkv-perkey checkpoint 1";

    private CheckpointFile() {
    }

    /**
     * The checkpointed sequence in {@code dir}, 0 if there is no checkpoint yet.
     *
     * @throws IOException naming the file if it is damaged
     */
    static long read(Path dir) throws IOException {
        Path path = dir.resolve(NAME);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (CharacterCodingException e) {
            throw damaged(path, "not text");
        }
        String[] lines = text.split("\n", -1);
        if (lines.length != 4 || !lines[0].equals(FIRST_LINE) || !lines[1].startsWith("sequence=")
                || !lines[2].startsWith("crc32c=") || !lines[3].isEmpty()) {
            throw damaged(path, "expected the lines '" + FIRST_LINE + "', 'sequence=N', 'crc32c=X'");
        }
        if (!lines[2].equals("crc32c=" + crc(lines[0] + "\n" + lines[1] + "\n"))) {
            throw damaged(path, "checksum mismatch");
        }
        try {
            long sequence = Long.parseLong(lines[1].substring("sequence=".length()));
            if (sequence < 0) {
                throw damaged(path, "negative sequence");
            }
            return sequence;
        } catch (NumberFormatException e) {
            throw damaged(path, "the sequence is not a number");
        }
    }

    /** Durably records {@code sequence}: temp file, fsync, rename, directory fsync. */
    static void write(Path dir, long sequence, FileSync sync) throws IOException {
        String body = FIRST_LINE + "\n" + "sequence=" + sequence + "\n";
        sync.replaceFile(dir.resolve(NAME), (body + "crc32c=" + crc(body) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String crc(String text) {
        CRC32C crc = new CRC32C();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    private static IOException damaged(Path path, String reason) {
        return new IOException("checkpoint file " + path + " is damaged: " + reason + ". It is always replaced "
                + "atomically, so the disk lost data; restore the data directory from a backup");
    }
}
