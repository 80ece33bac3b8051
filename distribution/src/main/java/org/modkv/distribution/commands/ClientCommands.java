package org.modkv.distribution.commands;

import java.util.List;

/** Every {@link ClientCommand}, in the order help lists them. */
public final class ClientCommands {
    private ClientCommands() {
    }

    /** Fresh instances (picocli keeps parsed values in them, so each command line needs its own). */
    public static List<ClientCommand> create() {
        return List.of(new PutCommand(), new GetCommand(), new DelCommand(), new IncrCommand(), new ScanCommand(), new ExpireCommand(), new FlushAllCommand(), new BulkCommand(),
                new FindValueCommand(), new SearchCommand(), new SimilarCommand(), new StatsCommand());
    }
}
