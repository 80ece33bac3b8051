package org.modkv.storage.perkey;

import java.nio.file.Path;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/**
 * The first storage failure of an engine, shared by the committer and the flusher. Once set,
 * every write is refused with {@link ErrorCode#STORAGE_FAILURE}: after a failed write or fsync
 * the page cache can no longer be trusted, so nothing is retried. Reads go on. Thread-safe.
 */
final class WriteFailure {
    private static final System.Logger LOG = System.getLogger(WriteFailure.class.getName());

    private final Path dir;
    private volatile ModkvException failure;

    WriteFailure(Path dir) {
        this.dir = dir;
    }

    /** Records {@code cause} (the first one wins) and returns the failure writes now get. */
    ModkvException fail(String where, Throwable cause) {
        synchronized (this) {
            if (failure == null) {
                failure = new ModkvException(ErrorCode.STORAGE_FAILURE, "storage failed in " + where + " under " + dir
                        + ": " + cause + ". Writes are refused from now on because durability can no longer be "
                        + "promised; acknowledged writes are safe in the intent log. Restart the node once the disk "
                        + "is healthy", cause);
                LOG.log(System.Logger.Level.ERROR, failure.getMessage(), cause);
            }
            return failure;
        }
    }

    /** The failure, or null. */
    ModkvException get() {
        return failure;
    }

    /** Throws a fresh copy of the failure, if there is one. */
    void check() {
        ModkvException failed = failure;
        if (failed != null) {
            throw new ModkvException(ErrorCode.STORAGE_FAILURE, failed.getMessage(), failed.getCause());
        }
    }
}
