package org.modkv.api.storage;

/** What one entry of a {@link WriteBatch} does. */
public enum MutationType {
    PUT((byte) 1),
    DELETE((byte) 2);

    private final byte code;

    MutationType(byte code) {
        this.code = code;
    }

    /** The byte that stands for this type in the batch encoding. */
    public byte code() {
        return code;
    }

    /** The type for {@code code}, or {@code null} if the byte is not a valid type. */
    public static MutationType fromCode(byte code) {
        return switch (code) {
            case 1 -> PUT;
            case 2 -> DELETE;
            default -> null;
        };
    }
}
