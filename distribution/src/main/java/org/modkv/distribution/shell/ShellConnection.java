package org.modkv.distribution.shell;

import org.modkv.client.ModkvClient;
import org.modkv.distribution.commands.ClientSource;
import org.modkv.distribution.commands.ConnectOption;
import picocli.CommandLine;

/**
 * The shell's one connection. The client does not reconnect by itself, so after the
 * connection is lost the next command connects again instead of failing forever.
 */
final class ShellConnection implements ClientSource, AutoCloseable {
    private final ConnectOption address;
    private ModkvClient client;

    ShellConnection(ConnectOption address, ModkvClient connected) {
        this.address = address;
        this.client = connected;
    }

    String address() {
        return address.address();
    }

    @Override
    public ModkvClient acquire(CommandLine command) {
        if (client == null) {
            client = address.connect();
        }
        return client;
    }

    @Override
    public void release(ModkvClient ignored) {
    }

    /** Drops the connection; the next command opens a new one. */
    void reset() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    @Override
    public void close() {
        reset();
    }
}
