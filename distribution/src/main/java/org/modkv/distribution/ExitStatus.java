package org.modkv.distribution;

/** The exit statuses of every {@code modkv} command (docs/design/config-and-cli.md). */
public final class ExitStatus {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The key asked for does not exist. */
    public static final int NOT_FOUND = 1;
    /** {@code modkv check}: the data directory holds damage (listed on stdout). */
    public static final int DAMAGE_FOUND = 1;
    /** Anything else went wrong; the reason is on stderr. Also picocli's usage-error status. */
    public static final int ERROR = 2;

    private ExitStatus() {
    }
}
