package org.modkv.index.fulltext;

import java.io.IOException;
import java.util.Set;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.BytesRef;

/** Reads a document's key back from its stored field. */
final class StoredKeys {
    private static final Set<String> KEY_ONLY = Set.of(IndexedDocument.KEY);

    private StoredKeys() {
    }

    /** The key of document {@code doc} (a fresh array). */
    static byte[] key(StoredFields stored, int doc) throws IOException {
        BytesRef key = stored.document(doc, KEY_ONLY).getBinaryValue(IndexedDocument.KEY);
        if (key == null) {
            throw new IOException("fulltext index document " + doc + " has no stored key; the index is damaged, "
                    + "delete the plugin's directory to rebuild it");
        }
        return BytesRef.deepCopyOf(key).bytes;
    }
}
