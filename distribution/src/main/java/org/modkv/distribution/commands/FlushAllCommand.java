package org.modkv.distribution.commands;

import java.io.PrintWriter;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "flushall", description = {"Delete every key on the node's cluster; prints how many.",
    "Needs --yes (the shell asks instead). Keys written while it runs may survive."})
final class FlushAllCommand implements ClientCommand {
    /** The command's name, for the shell's confirmation. */
    public static final String NAME = "flushall";
    /** The option that confirms it. */
    public static final String CONFIRM = "--yes";

    @Spec
    CommandSpec spec;
    @Mixin
    HelpOption help;
    @Option(names = CONFIRM, description = "Confirm: delete every key.")
    boolean yes;

    @Override
    public void validate() {
        if (!yes) {
            throw new ParameterException(spec.commandLine(),
                    "flushall deletes every key and cannot be undone; add --yes to confirm");
        }
    }

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        out.println("deleted " + client.deleteAll() + " keys");
        return ExitStatus.OK;
    }
}
