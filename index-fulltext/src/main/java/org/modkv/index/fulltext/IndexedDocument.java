package org.modkv.index.fulltext;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;

/**
 * How one key and its value become a Lucene document, and the fields the index reads back. See
 * docs/design/fulltext.md, "Documents".
 *
 * <ul>
 *   <li>{@value #KEY}: the key, stored; indexed as one term (the document's identity for updates
 *       and deletes) and as sorted doc values (ties between equal scores break by key, in
 *       unsigned byte order). Lucene caps a term at {@value #MAX_TERM_BYTES} bytes, so a longer
 *       key is identified by the SHA-256 of its bytes in {@value #LONG_KEY} instead and sorts by
 *       its first {@value #MAX_TERM_BYTES} bytes.
 *   <li>{@value #TEXT}: the value decoded as UTF-8, analyzed, when the value is valid UTF-8.
 *   <li>{@value #KIND}: {@value #KIND_TEXT} or {@value #KIND_BINARY}; searches match text
 *       documents only.
 *   <li>{@value #HASH}: SHA-256 of the value's bytes, as binary doc values (exact-value lookup
 *       and resync compare it).
 *   <li>{@value #HASH_BUCKET}: the hash's first {@value #HASH_BUCKET_BYTES} bytes, indexed: the
 *       exact-value lookup's candidates ({@link HashMatchQuery}). A term per bucket rather than per
 *       document keeps the terms dictionary small.
 * </ul>
 */
final class IndexedDocument {
    static final String KEY = "key";
    static final String LONG_KEY = "longkey";
    static final String TEXT = "text";
    static final String KIND = "kind";
    static final String HASH = "hash";
    static final String HASH_BUCKET = "hashbucket";
    /** 65,536 buckets: about 15 documents a bucket at 1M documents. */
    static final int HASH_BUCKET_BYTES = 2;
    static final String KIND_TEXT = "text";
    static final String KIND_BINARY = "binary";
    static final int MAX_TERM_BYTES = IndexWriter.MAX_TERM_LENGTH;

    private IndexedDocument() {
    }

    /** The term that identifies {@code key}'s document. */
    static Term identity(byte[] key) {
        return key.length <= MAX_TERM_BYTES ? new Term(KEY, new BytesRef(key)) : new Term(LONG_KEY, new BytesRef(sha256(key)));
    }

    /** The document for {@code key} holding {@code value}; arrays are copied. */
    static Document of(byte[] key, byte[] value) {
        Document doc = new Document();
        byte[] keyCopy = key.clone();
        doc.add(new StoredField(KEY, keyCopy));
        Term identity = identity(keyCopy);
        doc.add(new StringField(identity.field(), identity.bytes(), Field.Store.NO));
        doc.add(new SortedDocValuesField(KEY, new BytesRef(keyCopy, 0, Math.min(keyCopy.length, MAX_TERM_BYTES))));
        BytesRef hash = new BytesRef(sha256(value));
        doc.add(new StringField(HASH_BUCKET, hashBucket(hash.bytes).bytes(), Field.Store.NO));
        doc.add(new BinaryDocValuesField(HASH, hash));
        String text = utf8OrNull(value);
        if (text != null) {
            doc.add(new StringField(KIND, KIND_TEXT, Field.Store.NO));
            doc.add(new TextField(TEXT, text, Field.Store.NO));
        } else {
            doc.add(new StringField(KIND, KIND_BINARY, Field.Store.NO));
        }
        return doc;
    }

    /** The bucket term of a value whose SHA-256 is {@code hash}. */
    static Term hashBucket(byte[] hash) {
        return new Term(HASH_BUCKET, new BytesRef(Arrays.copyOf(hash, HASH_BUCKET_BYTES)));
    }

    /** SHA-256 of {@code bytes}. */
    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Whether {@code hash} (from {@link #HASH} doc values) is the hash of {@code value}. */
    static boolean hashMatches(BytesRef hash, byte[] value) {
        byte[] expected = sha256(value);
        return Arrays.equals(hash.bytes, hash.offset, hash.offset + hash.length, expected, 0, expected.length);
    }

    /** {@code value} as text if it is well-formed UTF-8, else {@code null}. */
    static String utf8OrNull(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(value))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
