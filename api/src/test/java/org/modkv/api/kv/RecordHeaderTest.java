package org.modkv.api.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The record header at the front of metadata: whole, read in place, and absent (legacy records). */
class RecordHeaderTest {
    @Test
    void aHeaderReadsBackWholeAndInPlaceAndKeepsThePluginBytes() {
        byte[] metadata = new RecordHeader(42, 1_700_000_000_000L).encode(new byte[] {7, 8});
        assertEquals(new RecordHeader(42, 1_700_000_000_000L), RecordHeader.of(metadata));
        assertArrayEquals(new byte[] {7, 8}, RecordHeader.pluginBytes(metadata));

        byte[] batchBuffer = new byte[5 + metadata.length + 3]; // a header in the middle of a larger buffer
        System.arraycopy(metadata, 0, batchBuffer, 5, metadata.length);
        assertEquals(new RecordHeader(42, 1_700_000_000_000L), RecordHeader.of(batchBuffer, 5, metadata.length));
        assertEquals(1_700_000_000_000L, RecordHeader.expiresAtMillis(batchBuffer, 5, metadata.length));
    }

    @Test
    void metadataWithoutAHeaderIsALegacyRecordThatNeverExpires() {
        byte[] plugin = {1, 2, 3};
        assertEquals(RecordHeader.LEGACY, RecordHeader.of(plugin));
        assertEquals(RecordHeader.NO_EXPIRY, RecordHeader.expiresAtMillis(plugin, 0, plugin.length));
        assertFalse(RecordHeader.expired(plugin, Long.MAX_VALUE));
        assertFalse(RecordHeader.expired(new byte[0], Long.MAX_VALUE));
    }

    @Test
    void expiredOnlyFromItsExpiryOnAndNeverWithoutOne() {
        byte[] expiring = new RecordHeader(1, 1000).encode(new byte[0]);
        assertFalse(RecordHeader.expired(expiring, 999));
        assertTrue(RecordHeader.expired(expiring, 1000));
        assertEquals(new RecordHeader(1, 1000).expiredAt(1000), RecordHeader.expired(expiring, 1000));
        assertFalse(RecordHeader.expired(new RecordHeader(1, RecordHeader.NO_EXPIRY).encode(new byte[0]), Long.MAX_VALUE));
    }
}
