package org.modkv.distribution;

/** Turns a failure into the one line a user reads on stderr. */
public final class ErrorMessages {
    private ErrorMessages() {
    }

    /** What went wrong, without a stack trace: the exception's message, or the exception itself without one. */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.toString() : message;
    }
}
