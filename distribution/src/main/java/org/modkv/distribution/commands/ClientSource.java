package org.modkv.distribution.commands;

import org.modkv.client.ModkvClient;
import picocli.CommandLine;

/** Where a {@link ClientCommand} gets its connection: a fresh one per call, or the shell's. */
public interface ClientSource {

    /** The client to run the command parsed into {@code command} with. */
    ModkvClient acquire(CommandLine command);

    /** Called once the command has run with a client from {@link #acquire}. */
    void release(ModkvClient client);

    /** One connection per command, to the address of the command's {@link ConnectOption} mixin. */
    static ClientSource perCommand() {
        return new ClientSource() {
            @Override
            public ModkvClient acquire(CommandLine command) {
                Object mixin = command.getMixins().get(ConnectOption.MIXIN_NAME);
                if (!(mixin instanceof ConnectOption connect)) {
                    throw new IllegalStateException("command '" + command.getCommandName()
                            + "' was registered without the --connect option");
                }
                return connect.connect();
            }

            @Override
            public void release(ModkvClient client) {
                client.close();
            }
        };
    }

    /** The same open client for every command; closing it is the owner's business. */
    static ClientSource shared(ModkvClient client) {
        return new ClientSource() {
            @Override
            public ModkvClient acquire(CommandLine command) {
                return client;
            }

            @Override
            public void release(ModkvClient ignored) {
            }
        };
    }
}
