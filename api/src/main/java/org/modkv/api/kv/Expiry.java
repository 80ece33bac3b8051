package org.modkv.api.kv;

/** Read-modify-writes that change only a key's expiry (EXPIRE, PERSIST), keeping its value. */
public final class Expiry {
    private Expiry() {
    }

    /**
     * Sets the key to expire at {@code expiresAtMillis}; a time at or before {@code nowMillis}
     * deletes it, as Redis' EXPIRE does. An absent key stays absent.
     */
    public static KeyUpdate at(long expiresAtMillis, long nowMillis) {
        return current -> {
            if (current.isEmpty()) {
                return KeyChange.NONE;
            }
            return expiresAtMillis <= nowMillis ? KeyChange.DELETE : KeyChange.put(current.get().value(), expiresAtMillis);
        };
    }

    /** Removes the key's expiry; nothing when it has none or is absent. */
    public static KeyUpdate persist() {
        return current -> current.isPresent() && current.get().expiresAtMillis() != RecordHeader.NO_EXPIRY
                ? KeyChange.put(current.get().value(), RecordHeader.NO_EXPIRY) : KeyChange.NONE;
    }
}
