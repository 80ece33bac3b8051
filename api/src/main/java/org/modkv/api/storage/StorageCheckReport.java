package org.modkv.api.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What an offline check of a storage directory found ({@link StorageProvider#check}).
 *
 * @param directory the directory checked
 * @param files files checked
 * @param records records whose checksum was checked
 * @param bytes bytes read
 * @param damage every piece of damage found, by file and offset; empty when the directory is clean
 * @param notes things worth knowing that are not damage (a write torn by a crash that the next
 *     start cuts off, leftovers the next start removes)
 */
public record StorageCheckReport(Path directory, long files, long records, long bytes, List<StorageDamage> damage,
                                 List<String> notes) {
    public StorageCheckReport {
        Objects.requireNonNull(directory, "directory");
        damage = List.copyOf(damage);
        notes = List.copyOf(notes);
    }

    /** Whether no damage was found. */
    public boolean isClean() {
        return damage.isEmpty();
    }
}
