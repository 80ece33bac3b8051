package org.modkv.api.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Stored bytes failed their checksum (or do not decode although their checksum matched): data
 * that was written correctly has changed underneath the engine. A storage engine throws this
 * from {@link StorageEngine#get}, {@link StorageEngine#scan} and {@link StorageEngine#checkpoint}
 * instead of returning the damaged bytes, and {@link CheckpointReader} throws it for a damaged
 * checkpoint. The kernel answers a request that meets it with
 * {@link org.modkv.api.ErrorCode#STORAGE_CORRUPT} (see
 * {@link org.modkv.api.ModkvException#fromStorage}).
 *
 * <p>The message is written for an operator: it names the file and the byte offset, says what
 * did not check out, and what to do.
 */
public class CorruptDataException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long offset;

    /**
     * @param file the damaged file, or {@code null} for data that is not a file (a checkpoint
     *     stream)
     * @param offset the byte offset in the file (or stream) of the damaged record
     * @param message the whole message, naming file and offset
     */
    public CorruptDataException(Path file, long offset, String message) {
        super(message);
        this.file = file;
        this.offset = offset;
    }

    /** The damaged file, if the data is a file. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Byte offset of the damaged record in its file or stream. */
    public long offset() {
        return offset;
    }
}
