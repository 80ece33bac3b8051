package org.modkv.api.kv;

import java.util.Optional;

/**
 * What a {@link KeyUpdate} did.
 *
 * @param before the key's value when the update was decided (empty when absent)
 * @param change what was done to it
 * @param version the version the write gave the key (0 when nothing was written)
 */
public record UpdateResult(Optional<VersionedValue> before, KeyChange change, long version) {
}
