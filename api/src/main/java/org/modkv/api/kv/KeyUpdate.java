package org.modkv.api.kv;

import java.util.Optional;

/**
 * A read-modify-write of one key (INCR, GETSET, EXPIRE): given the key's current value, what to do
 * to it. It may be called more than once, when another write to the key wins the race; it must
 * not have side effects. It may throw a {@link org.modkv.api.ModkvException} to refuse (a value
 * that is not an integer), which fails the update with nothing written.
 */
@FunctionalInterface
public interface KeyUpdate {
    /** @param current the live value with its version, empty when the key is absent or expired */
    KeyChange change(Optional<VersionedValue> current);
}
