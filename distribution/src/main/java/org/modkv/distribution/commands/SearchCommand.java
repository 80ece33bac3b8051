package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.util.List;
import org.modkv.client.ModkvClient;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", description = {"Print the keys whose values hold every WORD (or any), best first (fulltext index).",
    "One key and its score per line."})
final class SearchCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Option(names = "--any", description = "Match values containing at least one of the words.")
    boolean any;
    @Parameters(arity = "1..*", paramLabel = "WORD", description = "Words to look for.")
    List<String> words;

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        HitPrinter.print(client.search(words, any), true, out, err);
        return ExitStatus.OK;
    }
}
