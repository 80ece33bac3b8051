package org.modkv.api.kv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.modkv.api.storage.StoredRecord;

/**
 * What the kernel keeps about a key beside its value: its version (the revision of the write that
 * stored it) and when it expires. Kept at the front of the record's metadata bytes, which both
 * storage engines already store, checksum and crash-test with the record; so the engines' file
 * formats do not change and a data directory written before versions existed opens as it is
 * (its records have no header: version {@link #LEGACY_VERSION}, no expiry). See
 * docs/design/kv-api.md.
 *
 * <pre>
 *   header := magic:u8 (0xB7)  format:u8 (1)  version:i64  expiresAtMillis:i64  pluginBytes...
 * </pre>
 *
 * @param version the revision that wrote the record; {@link #LEGACY_VERSION} for a record without
 *     a header
 * @param expiresAtMillis wall-clock milliseconds since the epoch at which the key expires;
 *     {@link #NO_EXPIRY} when it does not
 */
public record RecordHeader(long version, long expiresAtMillis) {
    /** The version of a record stored before versions existed. */
    public static final long LEGACY_VERSION = 0;
    /** {@link #expiresAtMillis} of a key that never expires. */
    public static final long NO_EXPIRY = 0;
    static final byte MAGIC = (byte) 0xB7;
    static final byte FORMAT = 1;
    /** Encoded size. */
    public static final int BYTES = 2 + 2 * Long.BYTES;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    public RecordHeader {
        if (version < 0) {
            throw new IllegalArgumentException("version must be >= 0, not " + version);
        }
        if (expiresAtMillis < 0) {
            throw new IllegalArgumentException("expiry must be >= 0 (0 = none), not " + expiresAtMillis);
        }
    }

    /** The header of a record stored without one. */
    public static final RecordHeader LEGACY = new RecordHeader(LEGACY_VERSION, NO_EXPIRY);

    /** Whether the key has expired at {@code nowMillis}. */
    public boolean expiredAt(long nowMillis) {
        return expiredAt(expiresAtMillis, nowMillis);
    }

    private static boolean expiredAt(long expiresAtMillis, long nowMillis) {
        return expiresAtMillis != NO_EXPIRY && expiresAtMillis <= nowMillis;
    }

    /** This header in front of {@code pluginBytes}. */
    public byte[] encode(byte[] pluginBytes) {
        return ByteBuffer.allocate(BYTES + pluginBytes.length).put(MAGIC).put(FORMAT).putLong(version)
                .putLong(expiresAtMillis).put(pluginBytes).array();
    }

    /** The header at the front of {@code metadata}, or {@link #LEGACY} when it carries none. */
    public static RecordHeader of(byte[] metadata) {
        return of(metadata, 0, metadata.length);
    }

    /** The header at the front of {@code metadata[offset, offset + length)}, or {@link #LEGACY}. */
    public static RecordHeader of(byte[] metadata, int offset, int length) {
        if (!present(metadata, offset, length)) {
            return LEGACY;
        }
        return new RecordHeader((long) LONG.get(metadata, offset + 2), (long) LONG.get(metadata, offset + 2 + Long.BYTES));
    }

    /**
     * The expiry in the header at the front of {@code metadata[offset, offset + length)}, or
     * {@link #NO_EXPIRY} when there is none; allocates nothing (the read and commit paths ask it
     * of every record).
     */
    public static long expiresAtMillis(byte[] metadata, int offset, int length) {
        return present(metadata, offset, length) ? (long) LONG.get(metadata, offset + 2 + Long.BYTES) : NO_EXPIRY;
    }

    /** Whether a record with {@code metadata} has expired at {@code nowMillis}; allocates nothing. */
    public static boolean expired(byte[] metadata, long nowMillis) {
        return expiredAt(expiresAtMillis(metadata, 0, metadata.length), nowMillis);
    }

    /** The header of a stored record. */
    public static RecordHeader of(StoredRecord record) {
        return of(record.metadata());
    }

    /** {@code metadata} without a header at its front (all of it when it has none). */
    public static byte[] pluginBytes(byte[] metadata) {
        return present(metadata, 0, metadata.length) ? Arrays.copyOfRange(metadata, BYTES, metadata.length) : metadata;
    }

    private static boolean present(byte[] metadata, int offset, int length) {
        return length >= BYTES && metadata[offset] == MAGIC && metadata[offset + 1] == FORMAT;
    }
}
