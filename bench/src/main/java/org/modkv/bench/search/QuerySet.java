package org.modkv.bench.search;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The benchmark queries for a corpus, derived from its text so that the modkv run and the raw
 * Lucene baseline ask exactly the same questions. From the first {@code sample} documents it
 * counts in how many documents each word occurs (words split as the standard analyzer roughly
 * does: runs of letters and digits, lower-cased; one-character words are left out of the counts).
 * Then, for 1, 2 and 3 words:
 * <ul>
 *   <li>AND and OR queries of {@code frequent} words (drawn from the 100 most common) and of
 *       {@code mid} words (drawn from ranks 1,000 to 2,000, or the middle fifth of the
 *       vocabulary when it is smaller);</li>
 *   <li>phrase queries of words next to each other in a sampled document ({@code text}).</li>
 * </ul>
 * Each group holds {@code perGroup} queries; everything follows from the seed.
 */
public final class QuerySet {
    private static final int MIN_WORD_LENGTH = 2;
    private static final int FREQUENT = 100;
    private static final int MID_FROM = 1_000;
    private static final int MID_TO = 2_000;

    private final Map<QueryGroup, List<BenchQuery>> groups;

    private QuerySet(Map<QueryGroup, List<BenchQuery>> groups) {
        this.groups = groups;
    }

    /**
     * @throws IllegalArgumentException if the sample holds fewer than three distinct words, or
     *                                  sample or perGroup is below 1
     */
    public static QuerySet build(Corpus corpus, int sample, int perGroup, long seed) {
        if (sample < 1 || perGroup < 1) {
            throw new IllegalArgumentException("sample " + sample + " and queries per group " + perGroup
                    + " are not allowed; use 1 or more");
        }
        Map<String, Integer> documentFrequency = new HashMap<>();
        List<List<String>> sampled = new ArrayList<>();
        Iterator<CorpusDocument> documents = corpus.documents();
        for (int i = 0; i < sample && documents.hasNext(); i++) {
            List<String> words = words(documents.next().text());
            sampled.add(words);
            for (String word : new HashSet<>(words)) {
                if (word.length() < MIN_WORD_LENGTH) {
                    continue;
                }
                documentFrequency.merge(word, 1, Integer::sum);
            }
        }
        List<String> byFrequency = new ArrayList<>(documentFrequency.keySet());
        byFrequency.sort(Comparator.comparing((String word) -> -documentFrequency.get(word)).thenComparing(word -> word));
        if (byFrequency.size() < 3) {
            throw new IllegalArgumentException("corpus " + corpus.name() + " has fewer than 3 distinct words of "
                    + MIN_WORD_LENGTH + " or more characters in its first " + sample + " documents");
        }
        List<String> frequent = byFrequency.subList(0, Math.min(FREQUENT, byFrequency.size()));
        List<String> mid = byFrequency.size() > MID_TO
                ? byFrequency.subList(MID_FROM, MID_TO)
                : byFrequency.subList(byFrequency.size() * 2 / 5, Math.max(byFrequency.size() * 3 / 5, byFrequency.size() * 2 / 5 + 3));
        SplittableRandom random = new SplittableRandom(seed);
        Map<QueryGroup, List<BenchQuery>> groups = new LinkedHashMap<>();
        for (QueryKind kind : List.of(QueryKind.AND, QueryKind.OR)) {
            for (int words = 1; words <= 3; words++) {
                groups.put(new QueryGroup(kind, words, "frequent"), drawn(new QueryGroup(kind, words, "frequent"),
                        frequent, perGroup, random));
                groups.put(new QueryGroup(kind, words, "mid"), drawn(new QueryGroup(kind, words, "mid"),
                        mid, perGroup, random));
            }
        }
        for (int words = 1; words <= 3; words++) {
            QueryGroup group = new QueryGroup(QueryKind.PHRASE, words, "text");
            groups.put(group, phrases(group, sampled, perGroup, random));
        }
        return new QuerySet(groups);
    }

    /** The groups in report order, each with its queries. */
    public Map<QueryGroup, List<BenchQuery>> groups() {
        return groups;
    }

    /** The words of {@code text} as this class counts them (see the class comment). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            boolean wordChar = i < text.length() && Character.isLetterOrDigit(text.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                words.add(text.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
        }
        return words;
    }

    private static List<BenchQuery> drawn(QueryGroup group, List<String> pool, int count, SplittableRandom random) {
        List<BenchQuery> queries = new ArrayList<>(count);
        int words = Math.min(group.words(), pool.size());
        while (queries.size() < count) {
            Set<String> chosen = new LinkedHashSet<>();
            while (chosen.size() < words) {
                chosen.add(pool.get(random.nextInt(pool.size())));
            }
            queries.add(new BenchQuery(group, List.copyOf(chosen)));
        }
        return queries;
    }

    private static List<BenchQuery> phrases(QueryGroup group, List<List<String>> sampled, int count,
                                            SplittableRandom random) {
        List<List<String>> longEnough = sampled.stream().filter(words -> words.size() >= group.words()).toList();
        if (longEnough.isEmpty()) {
            return List.of();
        }
        List<BenchQuery> queries = new ArrayList<>(count);
        while (queries.size() < count) {
            List<String> words = longEnough.get(random.nextInt(longEnough.size()));
            int start = random.nextInt(words.size() - group.words() + 1);
            queries.add(new BenchQuery(group, words.subList(start, start + group.words())));
        }
        return queries;
    }
}
