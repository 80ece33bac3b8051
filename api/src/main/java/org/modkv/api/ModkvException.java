package org.modkv.api;

import java.io.IOException;
import org.modkv.api.storage.CorruptDataException;

/**
 * A failure a client can be told about. The message is written for the user: it says what was
 * wrong and, where it applies, what is allowed.
 */
public class ModkvException extends RuntimeException {
    private final ErrorCode code;

    public ModkvException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ModkvException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /**
     * The failure to answer a request with when storage threw {@code failure} while reading:
     * {@link ErrorCode#STORAGE_CORRUPT} for a {@link CorruptDataException} (the stored data failed
     * its checksum), {@link ErrorCode#STORAGE_FAILURE} for any other I/O error. The message keeps
     * storage's own, which names the file and offset.
     */
    public static ModkvException fromStorage(IOException failure) {
        if (failure instanceof CorruptDataException) {
            return new ModkvException(ErrorCode.STORAGE_CORRUPT, failure.getMessage(), failure);
        }
        return new ModkvException(ErrorCode.STORAGE_FAILURE, "cannot read from storage: " + failure.getMessage(),
                failure);
    }

    public ErrorCode code() {
        return code;
    }
}
