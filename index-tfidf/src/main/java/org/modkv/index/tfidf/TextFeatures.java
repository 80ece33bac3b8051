package org.modkv.index.tfidf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Turns a text into its features and their counts (raw term frequencies): the words Lucene's
 * analyzer produces ({@code tfidf.analyzer}, {@code tfidf.fold}), and with {@code tfidf.ngrams}
 * = n the character n-grams of every word framed by {@code _} ({@code _re}, {@code rec}, ...,
 * {@code ve_}). A feature's name starts with {@link #WORD} or {@link #NGRAM}, so the two kinds
 * never collide. Documents and queries go through the same code. Thread-safe (Lucene's analyzer
 * keeps one token stream per thread).
 */
final class TextFeatures implements AutoCloseable {
    static final char WORD = 'w';
    static final char NGRAM = 'g';

    private final Analyzer analyzer;
    private final int ngrams;

    TextFeatures(TfidfOptions options) {
        this.analyzer = analyzerFor(options.analyzer(), options.fold());
        this.ngrams = options.ngrams();
    }

    /** Whether {@code feature} is an n-gram (else a word). */
    static boolean isNgram(String feature) {
        return feature.charAt(0) == NGRAM;
    }

    /** The features of {@code text} with their counts, in first-seen order; empty for no words. */
    Map<String, Integer> of(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                String word = term.toString();
                counts.merge(WORD + word, 1, Integer::sum);
                if (ngrams > 0) {
                    addNgrams(word, counts);
                }
            }
            stream.end();
        } catch (IOException e) {
            throw new UncheckedIOException("analyzing text in memory failed", e); // a StringReader does not fail
        }
        return counts;
    }

    private void addNgrams(String word, Map<String, Integer> counts) {
        String framed = "_" + word + "_";
        if (framed.length() <= ngrams) {
            counts.merge(NGRAM + framed, 1, Integer::sum);
            return;
        }
        for (int i = 0; i + ngrams <= framed.length(); i++) {
            counts.merge(NGRAM + framed.substring(i, i + ngrams), 1, Integer::sum);
        }
    }

    private static Analyzer analyzerFor(String kind, boolean fold) {
        boolean english = kind.equals("english");
        return switch (kind) {
            case "standard", "english", "whitespace" -> new Analyzer() {
                @Override
                protected TokenStreamComponents createComponents(String fieldName) {
                    Tokenizer words = kind.equals("whitespace") ? new WhitespaceTokenizer() : new StandardTokenizer();
                    TokenStream out = english ? new EnglishPossessiveFilter(words) : words;
                    if (fold) {
                        out = new ASCIIFoldingFilter(new LowerCaseFilter(out));
                    }
                    if (english) {
                        out = new PorterStemFilter(new StopFilter(out, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET));
                    }
                    return new TokenStreamComponents(words, out);
                }
            };
            default -> throw new IllegalArgumentException("tfidf.analyzer '" + kind
                    + "' is not allowed; use one of standard, english, whitespace");
        };
    }

    @Override
    public void close() {
        analyzer.close();
    }
}
