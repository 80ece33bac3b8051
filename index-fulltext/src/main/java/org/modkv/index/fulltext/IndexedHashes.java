package org.modkv.index.fulltext;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;

/**
 * Answers "does the index hold this key with this value?" from a point-in-time reader, by the
 * key's identity term and the stored value hash. Used by resync, for every stored key in turn, so
 * it keeps one terms enumeration per segment and field. Not thread-safe.
 */
final class IndexedHashes {
    private final List<LeafReaderContext> leaves;
    /** Per identity field, one (reusable) terms enumeration per segment; null where the segment has no such field. */
    private final Map<String, TermsEnum[]> termsEnums = new HashMap<>();
    private PostingsEnum postings;

    IndexedHashes(DirectoryReader reader) {
        this.leaves = reader.leaves();
    }

    /** Whether a live document for {@code key} holds a value whose SHA-256 is that of {@code value}. */
    boolean holds(byte[] key, byte[] value) throws IOException {
        Term identity = IndexedDocument.identity(key);
        TermsEnum[] perSegment = termsEnums(identity.field());
        for (int i = 0; i < leaves.size(); i++) {
            TermsEnum termsEnum = perSegment[i];
            if (termsEnum == null || !termsEnum.seekExact(identity.bytes())) {
                continue;
            }
            LeafReader segment = leaves.get(i).reader();
            Bits live = segment.getLiveDocs();
            postings = termsEnum.postings(postings, PostingsEnum.NONE);
            for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                BinaryDocValues hashes = segment.getBinaryDocValues(IndexedDocument.HASH);
                return hashes != null && hashes.advanceExact(doc)
                        && IndexedDocument.hashMatches(hashes.binaryValue(), value);
            }
        }
        return false;
    }

    private TermsEnum[] termsEnums(String field) throws IOException {
        TermsEnum[] perSegment = termsEnums.get(field);
        if (perSegment == null) {
            perSegment = new TermsEnum[leaves.size()];
            for (int i = 0; i < leaves.size(); i++) {
                Terms terms = leaves.get(i).reader().terms(field);
                perSegment[i] = terms == null ? null : terms.iterator();
            }
            termsEnums.put(field, perSegment);
        }
        return perSegment;
    }
}
