package org.modkv.distribution.shell;

import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Tab completion: command names in the first word (and after {@code help}), a command's
 * options when the word starts with {@code -}.
 */
final class CommandCompleter implements Completer {
    private final Map<String, CommandLine> commands;
    private final List<String> builtins;

    CommandCompleter(Map<String, CommandLine> commands, List<String> builtins) {
        this.commands = commands;
        this.builtins = builtins;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        if (line.wordIndex() == 0) {
            commands.forEach((name, command) -> candidates.add(candidate(name, command)));
            builtins.forEach(name -> candidates.add(new Candidate(name)));
            return;
        }
        String first = words.get(0);
        if (line.wordIndex() == 1 && first.equals(Shell.HELP)) {
            commands.forEach((name, command) -> candidates.add(candidate(name, command)));
            return;
        }
        CommandLine command = commands.get(first);
        if (command != null && line.word().startsWith("-")) {
            for (OptionSpec option : command.getCommandSpec().options()) {
                for (String name : option.names()) {
                    if (name.startsWith("--")) {
                        candidates.add(new Candidate(name, name, null, option.description().length == 0
                                ? null : option.description()[0], null, null, true));
                    }
                }
            }
        }
    }

    private static Candidate candidate(String name, CommandLine command) {
        return new Candidate(name, name, null, Synopsis.summary(command.getCommandSpec()), null, null, true);
    }
}
