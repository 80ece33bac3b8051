package org.modkv.distribution.commands;

import org.modkv.client.ModkvClient;
import org.modkv.client.ModkvClientException;
import picocli.CommandLine.Option;

/** {@code --connect HOST:PORT[,...]}: which node a one-shot command or the shell talks to. */
public final class ConnectOption {
    /** The name this option's mixin is registered under on a command line. */
    public static final String MIXIN_NAME = "connect";
    /** Where a node listens for clients unless configured otherwise ({@code tcp.listen}). */
    public static final String DEFAULT_ADDRESS = "127.0.0.1:7379";

    @Option(names = {"-c", "--connect"}, paramLabel = "HOST:PORT[,...]", defaultValue = DEFAULT_ADDRESS,
            description = "The node to talk to; with several, the first that answers (default: ${DEFAULT-VALUE}).")
    String address = DEFAULT_ADDRESS;

    public String address() {
        return address;
    }

    /**
     * Connects to {@link #address()}.
     *
     * @throws ModkvClientException when no node answers, with a hint on how to start one
     */
    public ModkvClient connect() {
        try {
            return ModkvClient.connect(address);
        } catch (ModkvClientException e) {
            if (!"UNAVAILABLE".equals(e.code())) {
                throw e;
            }
            throw new ModkvClientException(e.code(), e.getMessage()
                    + " \u2014 is a node running? start one with 'modkv node'", e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--connect " + address + ": " + e.getMessage(), e);
        }
    }
}
