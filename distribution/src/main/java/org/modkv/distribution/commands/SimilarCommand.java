package org.modkv.distribution.commands;

import java.io.PrintWriter;
import java.util.List;
import org.modkv.client.ModkvClient;
import org.modkv.client.SimilarQuery;
import org.modkv.distribution.ExitStatus;
import org.modkv.distribution.HelpOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "similar", description = {"Print the keys whose values are most like TEXT, best first (tfidf index).",
    "One key and its TF-IDF cosine score (0..1) per line; equal scores by key.",
    "Exit status 0 also when nothing is similar; a TEXT with no words (only stop words) is an error."})
final class SimilarCommand implements ClientCommand {
    @Mixin
    HelpOption help;
    @Spec
    CommandSpec spec;
    @Option(names = "--top", paramLabel = "K", defaultValue = "10",
            description = "At most K keys (default: ${DEFAULT-VALUE}; the index refuses more than tfidf.top.max).")
    int top;
    @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
            description = "Skip the N best keys first (default: ${DEFAULT-VALUE}).")
    int offset;
    @Option(names = "--min", paramLabel = "SCORE", defaultValue = "0",
            description = "Only scores of at least SCORE, 0..1 (default: ${DEFAULT-VALUE}).")
    double min;
    @Option(names = "--stale", description = "Answer from what the node's index holds now, without waiting to see "
            + "every write acknowledged before (faster; may miss the latest writes).")
    boolean stale;
    @Parameters(arity = "1..*", paramLabel = "TEXT", description = "The text to compare with; several words are joined.")
    List<String> text;

    @Override
    public void validate() {
        if (top < 1) {
            throw new ParameterException(spec.commandLine(), "--top must be at least 1, was " + top);
        }
        if (offset < 0) {
            throw new ParameterException(spec.commandLine(), "--offset must be 0 or more, was " + offset);
        }
        if (!(min >= 0 && min <= 1)) {
            throw new ParameterException(spec.commandLine(), "--min must be between 0 and 1, was " + min);
        }
    }

    @Override
    public int run(ModkvClient client, PrintWriter out, PrintWriter err) {
        SimilarQuery query = SimilarQuery.of(String.join(" ", text)).withTop(top).withOffset(offset).withMinScore(min)
                .withStale(stale);
        HitPrinter.print(client.similar(query).hits(), true, out, err);
        return ExitStatus.OK;
    }
}
