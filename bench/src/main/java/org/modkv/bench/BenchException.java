package org.modkv.bench;

/**
 * A benchmark could not run, or could not finish what it was asked (cannot connect, preload
 * failed). The message says what went wrong for the user, as is; the CLI exits with status 2.
 */
public class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
