package org.modkv.bench;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The values a run writes, generated once: a small pool of distinct values of exactly
 * {@code valueSize} bytes, each a run of words drawn from a made-up vocabulary (so the full-text
 * index has something to find and the {@code search} workload has words to ask for). Key
 * {@code n} gets value {@code n % poolSize}. Values are shared and never modified.
 */
final class ValuePool {
    static final int VOCABULARY_SIZE = 256;
    private static final int MAX_POOL = 64;
    private static final long MAX_POOL_BYTES = 64L * 1024 * 1024;
    private static final String CONSONANTS = "bcdfghjklmnprstvz";
    private static final String VOWELS = "aeiou";

    private final byte[][] values;
    private final SearchWord[] words;

    ValuePool(int valueSize, long seed) {
        if (valueSize < 1) {
            throw new IllegalArgumentException("valueSize must be at least 1, was " + valueSize);
        }
        SplittableRandom random = new SplittableRandom(seed);
        this.words = vocabulary(random);
        int poolSize = (int) Math.max(1, Math.min(MAX_POOL, MAX_POOL_BYTES / valueSize));
        this.values = new byte[poolSize][];
        for (int i = 0; i < poolSize; i++) {
            values[i] = text(valueSize, random);
        }
    }

    /** The value for key index {@code key}; do not modify. */
    byte[] valueFor(long key) {
        return values[(int) (key % values.length)];
    }

    int poolSize() {
        return values.length;
    }

    SearchWord word(int index) {
        return words[index];
    }

    int vocabularySize() {
        return words.length;
    }

    private byte[] text(int size, SplittableRandom random) {
        StringBuilder text = new StringBuilder(size + 16);
        while (text.length() < size) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(words[random.nextInt(words.length)].text());
        }
        text.setLength(size);
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Pronounceable, distinct, lower-case words of 2 or 3 syllables: "bado", "kelimu"... */
    private static SearchWord[] vocabulary(SplittableRandom random) {
        Set<String> distinct = new LinkedHashSet<>();
        while (distinct.size() < VOCABULARY_SIZE) {
            int syllables = 2 + random.nextInt(2);
            StringBuilder word = new StringBuilder();
            for (int s = 0; s < syllables; s++) {
                word.append(CONSONANTS.charAt(random.nextInt(CONSONANTS.length())));
                word.append(VOWELS.charAt(random.nextInt(VOWELS.length())));
            }
            distinct.add(word.toString());
        }
        SearchWord[] out = new SearchWord[VOCABULARY_SIZE];
        int i = 0;
        for (String w : distinct) {
            out[i++] = new SearchWord(w);
        }
        return out;
    }
}
