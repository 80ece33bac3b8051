package org.modkv.index.tfidf;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

/**
 * A query text as TF-IDF vector against the index's current snapshot: sublinear tf times idf,
 * normalized per block (words, n-grams) like a document, every feature counting in the norm
 * (one no document holds gets the idf of df 0). Only the terms documents hold are kept, in
 * increasing term number: the order every scorer adds contributions in.
 */
final class QueryVector {
    private QueryVector() {
    }

    /**
     * @throws ModkvException {@code INVALID_REQUEST} when the text has no features at all
     *     (empty, punctuation only, or only stop words with {@code tfidf.analyzer=english})
     */
    static List<QueryTerm> of(Map<String, Integer> features, InvertedIndex index, TfidfOptions options) {
        if (features.isEmpty()) {
            throw new ModkvException(ErrorCode.INVALID_REQUEST, "the text has no words to compare after analysis "
                    + "(tfidf.analyzer=" + options.analyzer() + "): it is empty, only punctuation, or only stop words; "
                    + "give at least one word");
        }
        double wordNorm = 0;
        double ngramNorm = 0;
        int n = features.size();
        int[] terms = new int[n];
        double[] raw = new double[n];
        boolean[] ngram = new boolean[n];
        int i = 0;
        for (Map.Entry<String, Integer> feature : features.entrySet()) {
            terms[i] = index.term(feature.getKey());
            ngram[i] = TextFeatures.isNgram(feature.getKey());
            raw[i] = InvertedIndex.sublinear(feature.getValue()) * index.queryIdf(terms[i]);
            if (ngram[i]) {
                ngramNorm += raw[i] * raw[i];
            } else {
                wordNorm += raw[i] * raw[i];
            }
            i++;
        }
        wordNorm = Math.sqrt(wordNorm);
        ngramNorm = Math.sqrt(ngramNorm);
        List<QueryTerm> out = new ArrayList<>();
        for (i = 0; i < n; i++) {
            double weight = ngram[i] ? options.ngramWeight() : options.wordWeight();
            if (terms[i] < 0 || weight == 0) {
                continue;
            }
            double factor = weight * (raw[i] / (ngram[i] ? ngramNorm : wordNorm)) * index.queryIdf(terms[i]);
            out.add(new QueryTerm(terms[i], factor, index.postings(terms[i]), index.norms(terms[i]),
                    factor * index.maxWeight(terms[i])));
        }
        out.sort(Comparator.comparingInt(QueryTerm::term));
        return out;
    }
}
