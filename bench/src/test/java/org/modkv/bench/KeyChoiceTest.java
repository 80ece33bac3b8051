package org.modkv.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KeyChoiceTest {
    private static final int KEYS = 1000;
    private static final int SAMPLES = 200_000;

    private static long[] histogram(KeyChooser chooser) {
        SplittableRandom random = new SplittableRandom(7);
        long[] counts = new long[(int) chooser.keys()];
        for (int i = 0; i < SAMPLES; i++) {
            long key = chooser.next(random);
            assertTrue(key >= 0 && key < chooser.keys(), "key " + key + " out of range");
            counts[(int) key]++;
        }
        return counts;
    }

    @Test
    void zipfianGivesTheMostPopularKeysAFarLargerShareThanUniform() {
        long[] counts = histogram(new ZipfianKeys(KEYS, ZipfianKeys.YCSB_THETA));
        long top10 = 0;
        for (int i = 0; i < 10; i++) {
            top10 += counts[i];
        }
        double share = (double) top10 / SAMPLES;
        // uniform would give the top 10 of 1000 keys 1%; zipfian(0.99) gives them about 40%
        assertTrue(share > 0.30, "top-10 share " + share);
        assertTrue(counts[0] > counts[9] && counts[9] > counts[500], "popularity falls with rank");
        // the hottest key's share matches the distribution's own probability
        ZipfianKeys zipf = new ZipfianKeys(KEYS, ZipfianKeys.YCSB_THETA);
        assertEquals(zipf.probability(0), (double) counts[0] / SAMPLES, 0.01);
    }

    @Test
    void uniformSpreadsEvenly() {
        long[] counts = histogram(new UniformKeys(KEYS));
        long top10 = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < KEYS; i++) {
            if (i < 10) {
                top10 += counts[i];
            }
            min = Math.min(min, counts[i]);
            max = Math.max(max, counts[i]);
        }
        assertTrue((double) top10 / SAMPLES < 0.02, "top-10 share " + top10);
        assertTrue(min > 100 && max < 320, "every key drawn about 200 times: " + min + ".." + max);
    }

    @Test
    void zipfianHandlesTinyAndHugeKeySpaces() {
        SplittableRandom random = new SplittableRandom(1);
        ZipfianKeys one = new ZipfianKeys(1, 0.99);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, one.next(random));
        }
        ZipfianKeys huge = new ZipfianKeys(BenchOptions.MAX_KEYS, 0.99);
        for (int i = 0; i < 10_000; i++) {
            long k = huge.next(random);
            assertTrue(k >= 0 && k < BenchOptions.MAX_KEYS);
        }
    }

    @Test
    void zetaEstimateBeyondTheExactTermsIsCloseToTheExactSum() {
        long n = 3_000_000;
        double exact = 0;
        for (long i = 1; i <= n; i++) {
            exact += Math.pow(i, -0.99);
        }
        assertEquals(exact, ZipfianKeys.zeta(n, 0.99), exact * 1e-8);
    }

    @Test
    void keysAreZeroPaddedToTheWidthOfTheLargestIndexAndWrittenInPlace() {
        KeyFormat format = new KeyFormat(100_000);
        assertEquals("key:00042", format.format(42));
        assertEquals("key:99999", format.format(99_999));
        byte[] buffer = format.newBuffer();
        format.write(7, buffer);
        assertArrayEquals("key:00007".getBytes(StandardCharsets.US_ASCII), buffer);
        assertEquals("key:0", new KeyFormat(1).format(0));
        assertThrows(IllegalArgumentException.class, () -> format.write(100_000, buffer));
    }

    @Test
    void valuesHaveTheAskedSizeAndAreMadeOfVocabularyWords() {
        ValuePool pool = new ValuePool(100, 3);
        byte[] value = pool.valueFor(12);
        assertEquals(100, value.length);
        String text = new String(value, StandardCharsets.US_ASCII);
        String firstWord = text.split(" ")[0];
        boolean known = false;
        for (int i = 0; i < pool.vocabularySize(); i++) {
            known |= pool.word(i).text().equals(firstWord);
        }
        assertTrue(known, "first word '" + firstWord + "' is from the vocabulary");
        assertEquals(1, new ValuePool(1, 3).valueFor(5).length);
    }
}
