package org.modkv.distribution.commands;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --offset}, {@code --limit} and {@code --stale}, shared by {@code search} and {@code find-value}. */
final class PageOptions {
    @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
            description = "Skip the N best hits first (default: ${DEFAULT-VALUE}).")
    int offset;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Print at most N hits (default: the index's default; the index refuses more than its maximum).")
    int limit;
    @Option(names = "--stale", description = "Answer from what the node's index holds now, without waiting to see "
            + "every write acknowledged before (faster; may miss the latest writes).")
    boolean stale;

    /** Refuses a negative offset or limit before connecting. */
    void validate(CommandSpec spec) {
        if (offset < 0) {
            throw new ParameterException(spec.commandLine(), "--offset must be 0 or more, was " + offset);
        }
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be 1 or more, was " + limit);
        }
    }
}
