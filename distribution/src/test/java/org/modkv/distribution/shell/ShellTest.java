package org.modkv.distribution.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;
import org.modkv.distribution.commands.ConnectOption;

/**
 * The shell's own behaviour (builtins, parse errors, completion) without a node: none of these
 * lines reaches the point of connecting. Talking to a node is covered by ShellIT.
 */
class ShellTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Shell shell = new Shell(new ShellConnection(new ConnectOption(), null),
            new PrintWriter(out, true), new PrintWriter(err, true));

    @Test
    void helpListsEveryCommandWithItsUsage() {
        assertTrue(shell.execute(List.of("help")));
        String help = out.toString();
        for (String line : List.of("put [--ttl TTL] [--if-absent] [--if-present] [--if-version N] KEY VALUE",
                "get [--show-version] KEY", "del [--if-version N] KEY", "incr [--by N] KEY", "scan [--prefix P] [--limit N] [--keys-only]", "expire [--persist] KEY [TTL]", "flushall [--yes]", "bulk KEY=VALUE...", "find-value [--offset N] [--limit N] [--stale] [--file PATH] [VALUE]",
                "search [--any] [--offset N] [--limit N] [--stale] [--scores] QUERY...", "similar [--top K] [--offset N] [--min SCORE] [--stale] TEXT...", "stats", "help [COMMAND]",
                "quit | exit")) {
            assertTrue(help.contains("  " + line + " "), line + " missing from:\n" + help);
        }
    }

    @Test
    void helpForOneCommandShowsItsOptions() {
        shell.execute(List.of("help", "similar"));
        assertTrue(out.toString().contains("--top=K"), out.toString());
    }

    @Test
    void quitAndExitLeave() {
        assertFalse(shell.execute(List.of("quit")));
        assertFalse(shell.execute(List.of("exit")));
    }

    @Test
    void unknownCommandIsReportedAndTheShellGoesOn() {
        assertTrue(shell.execute(List.of("gett", "k")));
        assertTrue(err.toString().contains("unknown command 'gett'"), err.toString());
    }

    @Test
    void usageErrorPrintsTheSynopsis() {
        assertTrue(shell.execute(List.of("put", "onlykey")));
        assertTrue(err.toString().contains("Missing required parameter: 'VALUE'"), err.toString());
        assertTrue(err.toString().contains("usage: put [--ttl TTL] [--if-absent] [--if-present] [--if-version N] KEY VALUE"), err.toString());
    }

    @Test
    void findValueFromStdinIsRefusedInTheShellWhoseStdinIsItsInput() {
        assertTrue(shell.execute(List.of("find-value", "--file", "-")));
        assertTrue(err.toString().contains("in the shell, --file takes a path: stdin is the shell's own input"),
                err.toString());
    }

    @Test
    void blankLinesAndCommentsDoNothing() {
        assertTrue(shell.execute(List.of()));
        assertTrue(shell.execute(List.of("#", "put", "a", "b")));
        assertEquals("", out.toString() + err.toString());
    }

    @Test
    void pipedInputRunsEveryLineAndReportsUnclosedQuotes() throws IOException {
        shell.runBatch(new BufferedReader(new StringReader("put \"unclosed value\nhelp get\nquit\nhelp\n")));
        assertTrue(err.toString().contains("in: put \"unclosed value"), err.toString());
        assertTrue(out.toString().contains("Usage: get"), out.toString());
        assertFalse(out.toString().contains("Commands ("), "lines after quit must not run:\n" + out);
    }

    @Test
    void wordsSplitLikeAShell() {
        DefaultParser parser = new DefaultParser();
        String line = "put 'a key' \"a \\\"quoted\\\" value\"";
        assertEquals(List.of("put", "a key", "a \"quoted\" value"),
                parser.parse(line, line.length(), Parser.ParseContext.ACCEPT_LINE).words());
    }

    @Test
    void flushallAsksForConfirmationAndAnythingButYesCancelsWithoutConnecting() throws Exception {
        shell.runBatch(new java.io.BufferedReader(new StringReader("flushall\nno\nflushall\n")));
        String printed = out.toString();
        assertTrue(printed.contains("Delete every key on"), printed);
        assertEquals(2, printed.split("flushall cancelled: nothing was deleted", -1).length - 1,
                "'no' and the end of input both cancel:\n" + printed);
        assertEquals("", err.toString());
    }

    @Test
    void completesCommandNamesAndOptions() {
        CommandCompleter completer = new CommandCompleter(shell.commands(), List.of("help", "quit", "exit"));
        assertEquals(List.of("bulk", "del", "exit", "expire", "find-value", "flushall", "get", "help", "incr", "put", "quit", "scan", "search", "similar",
                "stats"), complete(completer, ""));
        assertTrue(complete(completer, "similar --").containsAll(List.of("--top", "--offset", "--min", "--stale", "--help")),
                complete(completer, "similar --").toString());
        assertTrue(complete(completer, "search --").containsAll(List.of("--any", "--offset", "--limit", "--stale",
                "--scores", "--help")), complete(completer, "search --").toString());
        assertTrue(complete(completer, "find-value --").containsAll(List.of("--offset", "--limit", "--stale", "--file")),
                complete(completer, "find-value --").toString());
        assertTrue(complete(completer, "help ").contains("find-value"));
    }

    private static List<String> complete(CommandCompleter completer, String line) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length(), Parser.ParseContext.COMPLETE),
                candidates);
        return candidates.stream().map(Candidate::value).sorted().distinct().toList();
    }
}
