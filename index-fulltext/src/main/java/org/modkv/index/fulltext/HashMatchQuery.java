package org.modkv.index.fulltext;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BytesRef;

/**
 * Documents whose value hash is exactly {@code hash}: the documents of the hash's bucket (a term
 * of the hash's first {@value IndexedDocument#HASH_BUCKET_BYTES} bytes) whose {@link
 * IndexedDocument#HASH} doc values hold the whole hash. Every document has one bucket term
 * instead of a term of its own, which keeps the terms dictionary (flushed and merged with every
 * segment) small; a lookup reads the bucket's few documents. Constant score. See
 * docs/design/fulltext.md, "Exact value".
 */
final class HashMatchQuery extends Query {
    private final byte[] hash;
    private final TermQuery bucket;

    HashMatchQuery(byte[] hash) {
        this.hash = hash.clone();
        this.bucket = new TermQuery(IndexedDocument.hashBucket(hash));
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
        Weight bucketWeight = bucket.createWeight(searcher, ScoreMode.COMPLETE_NO_SCORES, 1f);
        return new ConstantScoreWeight(this, boost) {
            @Override
            public Scorer scorer(LeafReaderContext context) throws IOException {
                Scorer inBucket = bucketWeight.scorer(context);
                if (inBucket == null) {
                    return null;
                }
                BinaryDocValues hashes = context.reader().getBinaryDocValues(IndexedDocument.HASH);
                if (hashes == null) {
                    return null;
                }
                DocIdSetIterator approximation = inBucket.iterator();
                TwoPhaseIterator exact = new TwoPhaseIterator(approximation) {
                    @Override
                    public boolean matches() throws IOException {
                        if (!hashes.advanceExact(approximation.docID())) {
                            return false;
                        }
                        BytesRef held = hashes.binaryValue();
                        return Arrays.equals(held.bytes, held.offset, held.offset + held.length, hash, 0, hash.length);
                    }

                    @Override
                    public float matchCost() {
                        return hash.length;
                    }
                };
                return new ConstantScoreScorer(this, score(), scoreMode, exact);
            }

            @Override
            public boolean isCacheable(LeafReaderContext context) {
                return false; // doc values change with updates; the bucket alone would be cacheable
            }
        };
    }

    @Override
    public void visit(QueryVisitor visitor) {
        if (visitor.acceptField(IndexedDocument.HASH_BUCKET)) {
            visitor.visitLeaf(this);
        }
    }

    @Override
    public String toString(String field) {
        return "hash:" + new BytesRef(hash);
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other) && Arrays.equals(hash, ((HashMatchQuery) other).hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), Arrays.hashCode(hash));
    }

    /** The bucket term of {@code hash}, for tests. */
    Term bucketTerm() {
        return bucket.getTerm();
    }
}
