package org.modkv.distribution.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.modkv.distribution.HelpOption;
import org.modkv.distribution.commands.ConnectOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code modkv shell}: connects, then runs commands line by line (see {@link Shell}). */
@Command(name = "shell", description = {
    "Interactive: the commands below, one per line, with history, completion and help.",
    "History is kept in ~/.modkv_history. With piped input, runs the lines it reads without prompting."})
public final class ShellCommand implements Callable<Integer> {
    @Mixin
    HelpOption help;
    @Mixin
    ConnectOption connect;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        try (ShellConnection connection = new ShellConnection(connect, connect.connect())) {
            if (System.console() == null) {
                Shell shell = new Shell(connection, spec.commandLine().getOut(), spec.commandLine().getErr());
                return shell.runBatch(new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())));
            }
            try (Terminal terminal = TerminalBuilder.builder().system(true).name("modkv").build()) {
                Shell shell = new Shell(connection, terminal.writer(), terminal.writer());
                return shell.runInteractive(terminal, Path.of(System.getProperty("user.home"), ".modkv_history"));
            }
        }
    }
}
