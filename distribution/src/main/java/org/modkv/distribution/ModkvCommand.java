package org.modkv.distribution;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.modkv.distribution.commands.ClientCommand;
import org.modkv.distribution.commands.ClientCommands;
import org.modkv.distribution.commands.ClientSource;
import org.modkv.distribution.commands.ConnectOption;
import org.modkv.distribution.commands.RunClientCommand;
import org.modkv.distribution.perf.BenchCommand;
import org.modkv.distribution.perf.BenchSearchCommand;
import org.modkv.distribution.perf.PlotCommand;
import org.modkv.distribution.server.CheckCommand;
import org.modkv.distribution.server.ClusterCommand;
import org.modkv.distribution.server.NodeCommand;
import org.modkv.distribution.server.PluginsCommand;
import org.modkv.distribution.shell.ShellCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code modkv}: the entry point {@code bin/modkv} runs. Exit status 0 on success, 1 when a
 * key is not found, 2 on any error with the reason on stderr.
 */
@Command(name = "modkv", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "modkv, a plugin-based distributed key-value store.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "One-shot commands connect to --connect HOST:PORT (default " + ConnectOption.DEFAULT_ADDRESS
                + ").", "Exit status: 0 success, 1 key not found (check: damage found), 2 error (reason on stderr).",
            "'modkv COMMAND --help' shows a command's options."})
public final class ModkvCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** {@code modkv} alone: the usage, as an error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("modkv: a command is required");
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitStatus.ERROR;
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs {@code modkv args}, printing to {@code out} and {@code err}; returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /** The whole command tree: node, shell, the client commands (each with --connect), plugins, help. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine root = new CommandLine(new ModkvCommand());
        root.addSubcommand(new NodeCommand());
        root.addSubcommand(new ClusterCommand());
        root.addSubcommand(new ShellCommand());
        for (ClientCommand command : ClientCommands.create()) {
            CommandLine oneShot = new CommandLine(command);
            oneShot.addMixin(ConnectOption.MIXIN_NAME, new ConnectOption());
            oneShot.setUnmatchedOptionsArePositionalParams(command.takesDashWords());
            root.addSubcommand(oneShot);
        }
        root.addSubcommand(new PluginsCommand());
        root.addSubcommand(new CheckCommand());
        root.addSubcommand(new BenchCommand());
        root.addSubcommand(new BenchSearchCommand());
        root.addSubcommand(new PlotCommand());
        root.addSubcommand(new CommandLine.HelpCommand());
        // Set after the subcommands are added: these settings apply to the tree as it is now.
        root.setOut(out);
        root.setErr(err);
        root.setExecutionStrategy(new RunClientCommand(ClientSource.perCommand()));
        root.setExecutionExceptionHandler((e, command, parsed) -> {
            command.getErr().println("modkv: " + ErrorMessages.describe(e));
            return ExitStatus.ERROR;
        });
        return root;
    }
}
