package org.modkv.index.fulltext;

import java.io.IOException;
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
 * key's identity term and the stored value hash. Used by resync; not thread-safe.
 */
final class IndexedHashes {
    private final DirectoryReader reader;

    IndexedHashes(DirectoryReader reader) {
        this.reader = reader;
    }

    /** Whether a live document for {@code key} holds a value whose SHA-256 is that of {@code value}. */
    boolean holds(byte[] key, byte[] value) throws IOException {
        Term identity = IndexedDocument.identity(key);
        for (LeafReaderContext leaf : reader.leaves()) {
            LeafReader segment = leaf.reader();
            Terms terms = segment.terms(identity.field());
            if (terms == null) {
                continue;
            }
            TermsEnum termsEnum = terms.iterator();
            if (!termsEnum.seekExact(identity.bytes())) {
                continue;
            }
            Bits live = segment.getLiveDocs();
            PostingsEnum postings = termsEnum.postings(null, PostingsEnum.NONE);
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
}
