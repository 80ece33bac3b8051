package org.modkv.distribution.commands;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "find-value", description = {"Print the keys whose value is exactly VALUE, any bytes (fulltext index).",
    "VALUE is UTF-8 text; --file PATH takes the value's bytes from a file (- for stdin), text or not.",
    "One key per line, by key; the number of hits goes to stderr last. Exit status 0 also when nothing matches."})
final class FindValueCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Mixin
    PageOptions page;
    @Parameters(index = "0", arity = "0..1", paramLabel = "VALUE", description = "The whole value to look for, as UTF-8 text.")
    String value;
    @Option(names = "--file", paramLabel = "PATH", description = "Read the value's bytes from PATH instead; - for stdin.")
    String file;

    @Override
    public void validate() {
        page.validate(spec);
        if ((value == null) == (file == null)) {
            throw new ParameterException(spec.commandLine(), value == null
                    ? "find-value needs VALUE, or --file PATH for a value in a file (- for stdin)"
                    : "find-value takes VALUE or --file PATH, not both");
        }
        // The shell runs each command on its own (no parent command); its stdin is the shell's input.
        if ("-".equals(file) && spec.commandLine().getParent() == null) {
            throw new ParameterException(spec.commandLine(), "in the shell, --file takes a path: stdin is the "
                    + "shell's own input");
        }
    }

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        HitPrinter.print(client.findValue(value(), page.offset, page.limit, page.stale), page.offset, false, out, err);
        return ExitStatus.OK;
    }

    private byte[] value() {
        if (file == null) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        try {
            return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the value from " + (file.equals("-") ? "stdin"
                    : file) + ": " + e.getMessage(), e);
        }
    }
}
