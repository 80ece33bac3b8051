package org.modkv.replication.quorum.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.modkv.replication.quorum.version.DvvSet;
import org.modkv.replication.quorum.version.Sibling;
import org.modkv.replication.quorum.version.VersionVector;

/**
 * Transcript tests in etcd raft's style: files under {@code src/test/resources/testdata} drive a
 * coordinator command by command ({@code > ...} lines) and hold the expected output after each.
 * Run with {@code -Dquorum.rewrite=true} to rewrite the files when behaviour changes on purpose
 * (then read the diff).
 *
 * <p>Commands: {@code put self=a pref=a,b,c fallbacks=d,e w=2 sloppy=true},
 * {@code get pref=a,b,c fallbacks=d r=2 sloppy=true}, {@code state NAME = write NODE VALUE [over STATE]}
 * (a state written by NODE, blind or with STATE's context), {@code stored NODE},
 * {@code fetched NODE STATE}, {@code failed NODE}, {@code deadline}.
 */
class CoordinatorTranscriptTest {
    private static final Path DIR = Path.of("src/test/resources/testdata");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"put-coordinator.txt", "get-coordinator.txt"})
    void transcriptMatches(String file) throws IOException {
        Path path = DIR.resolve(file);
        List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
        StringBuilder actual = new StringBuilder();
        Runner runner = new Runner();
        for (String line : lines) {
            if (line.startsWith("> ")) {
                actual.append(line).append('\n');
                for (String out : runner.run(line.substring(2).trim())) {
                    actual.append(out).append('\n');
                }
            } else if (line.isBlank() || line.startsWith("#")) {
                actual.append(line).append('\n');
            }
        }
        String expected = String.join("\n", lines) + "\n";
        if (Boolean.getBoolean("quorum.rewrite")) {
            Files.writeString(path, actual.toString(), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(expected, actual.toString(), "transcript " + file + " (rerun with -Dquorum.rewrite=true to update)");
    }

    private static final class Runner {
        private final Map<String, DvvSet> states = new HashMap<>();
        private final Map<String, Long> counters = new HashMap<>();
        private PutCoordinator put;
        private GetCoordinator get;

        List<String> run(String command) {
            String[] words = command.split("\\s+");
            Map<String, String> options = new HashMap<>();
            for (String w : words) {
                int eq = w.indexOf('=');
                if (eq > 0) {
                    options.put(w.substring(0, eq), w.substring(eq + 1));
                }
            }
            List<String> out = new ArrayList<>();
            switch (words[0]) {
                case "state" -> {
                    DvvSet base = words.length > 7 ? states.get(words[7]) : DvvSet.empty();
                    String node = words[4];
                    long floor = counters.getOrDefault(node, 0L);
                    DvvSet written = base.update(base.context(), words[5].equals("-") ? null
                            : words[5].getBytes(StandardCharsets.UTF_8), node, floor, floor + 1);
                    counters.put(node, written.context().get(node));
                    states.put(words[1], written);
                    out.add(words[1] + " = " + show(written));
                }
                case "put" -> {
                    QuorumSettings settings = new QuorumSettings(list(options.get("pref")).size(), 1,
                            Integer.parseInt(options.get("w")), Boolean.parseBoolean(options.get("sloppy")));
                    DvvSet state = DvvSet.empty().update(VersionVector.empty(), "v".getBytes(StandardCharsets.UTF_8),
                            options.get("self"), 0, 1);
                    put = new PutCoordinator("k".getBytes(StandardCharsets.UTF_8), state, options.get("self"),
                            list(options.get("pref")), list(options.get("fallbacks")), settings);
                    get = null;
                    show(put.start(), out);
                }
                case "get" -> {
                    QuorumSettings settings = new QuorumSettings(list(options.get("pref")).size(),
                            Integer.parseInt(options.get("r")), 1, Boolean.parseBoolean(options.get("sloppy")));
                    get = new GetCoordinator("k".getBytes(StandardCharsets.UTF_8), list(options.get("pref")),
                            list(options.get("fallbacks")), settings);
                    put = null;
                    show(get.start(), out);
                }
                case "stored" -> put.onStored(words[1]);
                case "fetched" -> show(get.onFetched(words[1], states.get(words[2])), out);
                case "failed" -> show(put != null ? put.onFailed(words[1]) : get.onFailed(words[1]), out);
                case "deadline" -> {
                    if (put != null) {
                        put.onDeadline();
                    } else {
                        show(get.onDeadline(), out);
                    }
                }
                default -> throw new IllegalArgumentException("unknown transcript command: " + command);
            }
            if (put != null) {
                out.add("outcome " + put.outcome() + " acks=" + put.acknowledgements() + " finished=" + put.isFinished()
                        + (put.hints().isEmpty() ? "" : " hints=" + put.hints().stream()
                                .map(h -> h.fallback() + " for " + h.home()).collect(Collectors.joining(", "))));
            } else if (get != null) {
                out.add("outcome " + get.outcome() + " finished=" + get.isFinished()
                        + (get.outcome() == Outcome.SUCCEEDED ? " result=" + show(get.result()) : ""));
            }
            return out;
        }

        private static List<String> list(String csv) {
            return csv == null || csv.equals("-") ? List.of() : Arrays.asList(csv.split(","));
        }

        private static void show(List<Outbound> messages, List<String> out) {
            for (Outbound m : messages) {
                if (m instanceof Outbound.Store s) {
                    out.add("store " + s.target() + (s.hintFor() == null ? "" : " hint-for=" + s.hintFor()));
                } else if (m instanceof Outbound.Fetch f) {
                    out.add("fetch " + f.target() + (f.hintFor() == null ? "" : " hint-for=" + f.hintFor()));
                } else if (m instanceof Outbound.Repair r) {
                    out.add("repair " + r.target() + " " + show(r.state()));
                }
            }
        }

        private static String show(DvvSet state) {
            return state.context() + state.siblings().stream().map(CoordinatorTranscriptTest.Runner::show)
                    .collect(Collectors.joining(",", "[", "]"));
        }

        private static String show(Sibling s) {
            return s.dot() + "=" + (s.isTombstone() ? "<tombstone>" : new String(s.value(), StandardCharsets.UTF_8));
        }
    }
}
