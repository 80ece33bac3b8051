package org.modkv.api;

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

    public ErrorCode code() {
        return code;
    }
}
