package org.modkv.index.fulltext;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
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

/**
 * The analyzer {@code fulltext.analyzer} and {@code fulltext.fold} choose, used for documents and
 * queries alike. Folding (lower case, then accents to their ASCII base letters) comes before
 * stop words and stemming, so that 'The' is a stop word and 'Running' stems like 'running'. The
 * same folding applies to prefix queries through {@link #normalize}.
 */
final class TextAnalyzer extends Analyzer {
    private final String kind;
    private final boolean fold;

    private TextAnalyzer(String kind, boolean fold) {
        this.kind = kind;
        this.fold = fold;
    }

    /**
     * @param kind {@code standard}, {@code english} or {@code whitespace}
     * @throws IllegalArgumentException for any other kind, naming the allowed ones
     */
    static TextAnalyzer of(String kind, boolean fold) {
        return switch (kind) {
            case "standard", "english", "whitespace" -> new TextAnalyzer(kind, fold);
            default -> throw new IllegalArgumentException("fulltext.analyzer '" + kind
                    + "' is not allowed; use one of standard, english, whitespace");
        };
    }

    static TextAnalyzer of(FulltextOptions options) {
        return of(options.analyzer(), options.fold());
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer source = kind.equals("whitespace") ? new WhitespaceTokenizer() : new StandardTokenizer();
        TokenStream stream = source;
        if (kind.equals("english")) {
            stream = new EnglishPossessiveFilter(stream);
        }
        stream = foldIfChosen(stream);
        if (kind.equals("english")) {
            CharArraySet stopWords = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;
            stream = new StopFilter(stream, stopWords);
            stream = new PorterStemFilter(stream);
        }
        return new TokenStreamComponents(source, stream);
    }

    @Override
    protected TokenStream normalize(String fieldName, TokenStream in) {
        return foldIfChosen(in);
    }

    private TokenStream foldIfChosen(TokenStream stream) {
        return fold ? new ASCIIFoldingFilter(new LowerCaseFilter(stream)) : stream;
    }

    @Override
    public String toString() {
        return "TextAnalyzer(" + kind + (fold ? ", folding" : "") + ")";
    }
}
