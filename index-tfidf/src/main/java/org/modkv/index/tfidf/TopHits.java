package org.modkv.index.tfidf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.modkv.api.index.ScoredKey;

/**
 * The best {@code capacity} hits seen so far: higher score first, equal scores by key (unsigned
 * bytes). {@link #threshold()} is what a document must reach to get in.
 */
final class TopHits {
    /** Best first. */
    static final Comparator<ScoredKey> ORDER = Comparator.comparingDouble(ScoredKey::score).reversed()
            .thenComparing(ScoredKey::key, Arrays::compareUnsigned);

    private final int capacity;
    private final double minScore;
    private final PriorityQueue<ScoredKey> worstFirst;

    TopHits(int capacity, double minScore) {
        this.capacity = capacity;
        this.minScore = minScore;
        this.worstFirst = new PriorityQueue<>(Math.min(capacity, 1024) + 1, ORDER.reversed());
    }

    /**
     * The score a document needs to possibly enter: {@code minScore} until full, then the worst
     * kept score (a document scoring exactly that enters if its key sorts first).
     */
    double threshold() {
        return worstFirst.size() < capacity ? minScore : Math.max(minScore, worstFirst.peek().score());
    }

    /** Offers a scored document; only a positive score of at least the minimum counts. */
    void offer(byte[] key, double score) {
        if (score <= 0 || score < minScore
                || (worstFirst.size() == capacity && score < worstFirst.peek().score())) {
            return;
        }
        ScoredKey hit = new ScoredKey(key, score);
        if (worstFirst.size() < capacity) {
            worstFirst.add(hit);
        } else if (ORDER.compare(hit, worstFirst.peek()) < 0) {
            worstFirst.poll();
            worstFirst.add(hit);
        }
    }

    /** The hits from {@code offset} on, best first. */
    List<ScoredKey> page(int offset) {
        List<ScoredKey> all = new ArrayList<>(worstFirst);
        all.sort(ORDER);
        List<ScoredKey> page = new ArrayList<>(Math.max(0, all.size() - offset));
        for (int i = offset; i < all.size(); i++) {
            page.add(new ScoredKey(all.get(i).key().clone(), all.get(i).score()));
        }
        return page;
    }
}
