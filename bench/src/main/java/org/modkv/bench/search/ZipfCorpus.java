package org.modkv.bench.search;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A generated corpus whose word frequencies follow Zipf's law: the word of rank {@code r}
 * (from 1) is drawn with probability proportional to {@code 1 / r^exponent}. Document lengths
 * are log-normal around {@code meanWords} (sigma 0.6, at least one word). Words are made-up
 * syllable strings ({@code ba}, {@code be}, ..., one per rank), so the analyzer keeps each as
 * one token. Keys are {@code z} and the document number, zero-padded to nine digits.
 * Everything follows from the seed: the same options give the same documents.
 */
public final class ZipfCorpus implements Corpus {
    private static final String CONSONANTS = "bcdfghjklmnprstvz";
    private static final String VOWELS = "aeiou";
    private static final double LENGTH_SIGMA = 0.6;

    private final long documents;
    private final int vocabulary;
    private final double exponent;
    private final double meanWords;
    private final long seed;
    private final double[] cumulative;

    /**
     * @throws IllegalArgumentException for documents &lt; 1, vocabulary &lt; 1, exponent &lt;= 0 or
     *                                  meanWords &lt; 1, naming the option and its allowed range
     */
    public ZipfCorpus(long documents, int vocabulary, double exponent, double meanWords, long seed) {
        if (documents < 1) {
            throw new IllegalArgumentException("documents " + documents + " is not allowed; use 1 or more");
        }
        if (vocabulary < 1) {
            throw new IllegalArgumentException("vocabulary " + vocabulary + " is not allowed; use 1 or more");
        }
        if (!(exponent > 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("exponent " + exponent + " is not allowed; use a number above 0");
        }
        if (!(meanWords >= 1) || Double.isInfinite(meanWords)) {
            throw new IllegalArgumentException("mean words " + meanWords + " is not allowed; use 1 or more");
        }
        this.documents = documents;
        this.vocabulary = vocabulary;
        this.exponent = exponent;
        this.meanWords = meanWords;
        this.seed = seed;
        this.cumulative = new double[vocabulary];
        double sum = 0;
        for (int rank = 1; rank <= vocabulary; rank++) {
            sum += 1 / Math.pow(rank, exponent);
            cumulative[rank - 1] = sum;
        }
        for (int i = 0; i < vocabulary; i++) {
            cumulative[i] /= sum;
        }
    }

    /** The made-up word of {@code rank} (from 1): distinct for every rank. */
    public static String word(int rank) {
        if (rank < 1) {
            throw new IllegalArgumentException("rank " + rank + " is not allowed; ranks start at 1");
        }
        int syllables = CONSONANTS.length() * VOWELS.length();
        StringBuilder word = new StringBuilder();
        int rest = rank - 1;
        do {
            int syllable = rest % syllables;
            word.append(CONSONANTS.charAt(syllable / VOWELS.length())).append(VOWELS.charAt(syllable % VOWELS.length()));
            rest = rest / syllables - 1;
        } while (rest >= 0);
        return word.toString();
    }

    /** The key of document {@code number} (from 0). */
    public static String key(long number) {
        return String.format("z%09d", number);
    }

    @Override
    public String name() {
        return "zipf-" + documents;
    }

    @Override
    public long size() {
        return documents;
    }

    public int vocabulary() {
        return vocabulary;
    }

    public double exponent() {
        return exponent;
    }

    public double meanWords() {
        return meanWords;
    }

    public long seed() {
        return seed;
    }

    @Override
    public Iterator<CorpusDocument> documents() {
        SplittableRandom random = new SplittableRandom(seed);
        return new Iterator<>() {
            private long next;

            @Override
            public boolean hasNext() {
                return next < documents;
            }

            @Override
            public CorpusDocument next() {
                if (next >= documents) {
                    throw new NoSuchElementException();
                }
                return new CorpusDocument(key(next++), text(random));
            }
        };
    }

    private String text(SplittableRandom random) {
        double mu = Math.log(meanWords) - LENGTH_SIGMA * LENGTH_SIGMA / 2;
        int length = (int) Math.max(1, Math.round(Math.exp(mu + LENGTH_SIGMA * gaussian(random))));
        StringBuilder text = new StringBuilder(length * 6);
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(word(rank(random.nextDouble())));
        }
        return text.toString();
    }

    private int rank(double uniform) {
        int low = 0;
        int high = vocabulary - 1;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (cumulative[middle] < uniform) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low + 1;
    }

    private static double gaussian(SplittableRandom random) { // Box-Muller: SplittableRandom has no nextGaussian on 17
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
