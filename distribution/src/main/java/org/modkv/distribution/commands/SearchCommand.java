package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.util.List;
import org.modkv.client.ModkvClient;
import org.modkv.client.SearchQuery;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "search", description = {"Print the keys whose values match QUERY, best first (fulltext index).",
    "QUERY holds every word by default (--any: at least one); \"a phrase\" in quotes, prefix*, -excluded.",
    "One key per line (with --scores: key TAB score); the number of hits goes to stderr last.",
    "Exit status 0 also when nothing matches."})
final class SearchCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Option(names = "--any", description = "Match values holding at least one of the words.")
    boolean any;
    @Mixin
    PageOptions page;
    @Option(names = "--scores", description = "Print each key's score after a tab.")
    boolean scores;
    @Parameters(arity = "1..*", paramLabel = "QUERY", description = "The query; several arguments are joined with spaces.")
    List<String> query;

    @Override
    public void validate() {
        page.validate(spec);
        for (String word : query) {
            if (word.startsWith("--")) { // -word is an exclusion; --word is a mistyped option
                throw new ParameterException(spec.commandLine(), "unknown option '" + word + "'; search takes --any, "
                        + "--offset N, --limit N, --stale and --scores (a query word starting with -- must be quoted "
                        + "together with another word)");
            }
        }
    }

    @Override
    public boolean takesDashWords() {
        return true;
    }

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        SearchQuery search = SearchQuery.of(String.join(" ", query)).withOffset(page.offset).withLimit(page.limit)
                .withStale(page.stale);
        HitPrinter.print(client.search(any ? search.anyWord() : search), page.offset, scores, out, err);
        return ExitStatus.OK;
    }
}
