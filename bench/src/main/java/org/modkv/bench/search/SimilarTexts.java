package org.modkv.bench.search;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The query texts of the similarity benchmark: the opening words of documents drawn at random
 * (seeded) from the corpus, so that every text has near neighbours in it, as "more like this
 * stored value" queries do. {@code modkv bench-search --similar} and the in-process baseline
 * (org.modkv.microbenchmarks.search.TfidfSimilarBaseline) build the same texts from the same
 * options.
 */
public final class SimilarTexts {
    /** Documents with fewer words than this give no text. */
    static final int MIN_WORDS = 3;

    private SimilarTexts() {
    }

    /**
     * @param sample how many documents from the first are drawn from
     * @param count how many texts (fewer when the sample has fewer documents of {@link #MIN_WORDS} words)
     * @param words the words of each text at most (the document's first ones)
     */
    public static List<String> build(Corpus corpus, int sample, int count, int words, long seed) {
        List<String> pool = new ArrayList<>();
        for (Iterator<CorpusDocument> documents = corpus.documents(); documents.hasNext() && pool.size() < sample; ) {
            String[] split = documents.next().text().trim().split("\\s+");
            if (split.length >= MIN_WORDS) {
                pool.add(String.join(" ", List.of(split).subList(0, Math.min(words, split.length))));
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String> texts = new ArrayList<>(Math.min(count, pool.size()));
        for (int i = 0; i < count && !pool.isEmpty(); i++) {
            texts.add(pool.remove(random.nextInt(pool.size())));
        }
        return texts;
    }
}
