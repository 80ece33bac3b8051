package org.modkv.distribution.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser;
import org.jline.reader.SyntaxError;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.modkv.client.ModkvClientException;
import org.modkv.distribution.ErrorMessages;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.commands.ClientCommand;
import org.modkv.distribution.commands.ClientCommands;
import org.modkv.distribution.commands.RunClientCommand;
import picocli.CommandLine;

/**
 * The interactive {@code modkv shell}: one line, one command, with the same commands (same
 * classes, same parsing, same output) as the one-shot CLI. A failed command prints its error
 * and the shell goes on. On a terminal it reads through JLine (prompt, history, completion);
 * with piped input it reads plain lines and prints no prompt, so scripts can feed it.
 *
 * <p>Words split like a POSIX shell's: {@code put greeting "hello world"} has three.
 */
public final class Shell {
    static final String HELP = "help";
    private static final String FLUSHALL = "flushall";
    private static final String CONFIRM = "--yes";
    private static final List<String> QUIT = List.of("quit", "exit");

    private final ShellConnection connection;
    private final PrintWriter out;
    private final PrintWriter err;
    private final DefaultParser parser = new DefaultParser();
    /** Asks the user a question and answers the line typed (null at end of input). */
    private Function<String, String> ask = question -> null;
    private final Map<String, CommandLine> commands = new LinkedHashMap<>();

    Shell(ShellConnection connection, PrintWriter out, PrintWriter err) {
        this.connection = connection;
        this.out = out;
        this.err = err;
        parser.setEofOnUnclosedQuote(true); // a terminal asks for the rest; piped input reports it
        for (ClientCommand command : ClientCommands.create()) {
            CommandLine line = new CommandLine(command);
            line.setUnmatchedOptionsArePositionalParams(command.takesDashWords());
            line.setOut(out);
            line.setErr(err);
            line.setExecutionStrategy(new RunClientCommand(connection));
            line.setParameterExceptionHandler(this::usageError);
            line.setExecutionExceptionHandler(this::failure);
            commands.put(line.getCommandName(), line);
        }
    }

    /** Reads commands from {@code in} until it ends or a quit command; no prompt, no echo. */
    int runBatch(BufferedReader in) throws IOException {
        ask = question -> {
            out.print(question);
            out.flush();
            try {
                return in.readLine();
            } catch (IOException e) {
                return null;
            }
        };
        String line;
        while ((line = in.readLine()) != null) {
            List<String> words;
            try {
                words = parser.parse(line, line.length(), Parser.ParseContext.ACCEPT_LINE).words();
            } catch (EOFError e) {
                err.println("error: " + e.getMessage() + " in: " + line);
                err.flush();
                continue;
            }
            if (!execute(words)) {
                break;
            }
        }
        return ExitStatus.OK;
    }

    /** Reads commands from a terminal, with a prompt, history in {@code historyFile} and completion. */
    int runInteractive(Terminal terminal, Path historyFile) {
        LineReader reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("modkv")
                .parser(parser)
                .completer(new CommandCompleter(commands, builtins()))
                .variable(LineReader.HISTORY_FILE, historyFile)
                .variable(LineReader.HISTORY_FILE_SIZE, 10_000)
                .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                .build();
        String prompt = "modkv " + connection.address() + "> ";
        ask = question -> {
            try {
                return reader.readLine(question);
            } catch (UserInterruptException | EndOfFileException e) {
                return null;
            }
        };
        out.println("Connected to " + connection.address() + ". Type 'help' for the commands, 'quit' to leave.");
        out.flush();
        try {
            while (true) {
                try {
                    reader.readLine(prompt);
                } catch (UserInterruptException e) {
                    continue; // Ctrl-C drops the line being typed, as in bash
                } catch (EndOfFileException e) {
                    break; // Ctrl-D
                } catch (SyntaxError e) {
                    err.println("error: " + e.getMessage());
                    err.flush();
                    continue;
                }
                if (!execute(reader.getParsedLine().words())) {
                    break;
                }
            }
        } finally {
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                err.println("warning: cannot save history to " + historyFile + ": " + e.getMessage());
                err.flush();
            }
        }
        return ExitStatus.OK;
    }

    /**
     * Runs one parsed line.
     *
     * @return {@code false} if the user asked to leave
     */
    boolean execute(List<String> words) {
        List<String> nonEmpty = words.stream().filter(w -> !w.isEmpty()).toList();
        if (nonEmpty.isEmpty() || nonEmpty.get(0).startsWith("#")) {
            return true;
        }
        String name = nonEmpty.get(0);
        List<String> args = nonEmpty.subList(1, nonEmpty.size());
        if (QUIT.contains(name)) {
            return false;
        }
        if (name.equals(HELP)) {
            help(args);
        } else if (name.equals(FLUSHALL) && !args.contains(CONFIRM)) {
            confirmFlushAll(args);
        } else if (commands.containsKey(name)) {
            commands.get(name).execute(args.toArray(String[]::new));
        } else {
            err.println("error: unknown command '" + name + "'; type 'help' for the commands");
        }
        out.flush();
        err.flush();
        return true;
    }

    /** FLUSHALL without --yes: the shell asks, and runs it only on the answer 'yes'. */
    private void confirmFlushAll(List<String> args) {
        String answer = ask.apply("Delete every key on " + connection.address() + "? This cannot be undone. "
                + "Type 'yes' to confirm: ");
        if (answer == null || !answer.trim().equals("yes")) {
            out.println("flushall cancelled: nothing was deleted");
            return;
        }
        List<String> confirmed = new java.util.ArrayList<>(args);
        confirmed.add(CONFIRM);
        commands.get(FLUSHALL).execute(confirmed.toArray(String[]::new));
    }

    private void help(List<String> args) {
        if (!args.isEmpty()) {
            CommandLine command = commands.get(args.get(0));
            if (command == null) {
                err.println("error: unknown command '" + args.get(0) + "'; type 'help' for the commands");
            } else {
                command.usage(out);
            }
            return;
        }
        out.println("Commands (quote words that hold spaces: put greeting \"hello world\"):");
        int width = commands.values().stream().mapToInt(c -> Synopsis.of(c.getCommandSpec()).length()).max().orElse(0);
        for (CommandLine command : commands.values()) {
            row(Synopsis.of(command.getCommandSpec()), Synopsis.summary(command.getCommandSpec()), width);
        }
        row("help [COMMAND]", "List the commands, or show one command's options.", width);
        row(String.join(" | ", QUIT), "Leave the shell (so does Ctrl-D).", width);
    }

    private void row(String synopsis, String summary, int width) {
        out.printf("  %-" + Math.max(width, 1) + "s  %s%n", synopsis, summary);
    }

    /** The client commands by name, for completion. */
    Map<String, CommandLine> commands() {
        return commands;
    }

    private static List<String> builtins() {
        return List.of(HELP, QUIT.get(0), QUIT.get(1));
    }

    private int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        err.println("error: " + e.getMessage());
        err.println("usage: " + Synopsis.of(command.getCommandSpec()) + "   (help " + command.getCommandName()
                + " for more)");
        CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
        return ExitStatus.ERROR;
    }

    private int failure(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        err.println("error: " + ErrorMessages.describe(e));
        if (e instanceof ModkvClientException m && "UNAVAILABLE".equals(m.code())) {
            connection.reset(); // the client does not reconnect; the next command will
        }
        return ExitStatus.ERROR;
    }
}
