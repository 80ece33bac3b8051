package org.modkv.api.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One piece of damage an offline check found ({@link StorageProvider#check}).
 *
 * @param file the damaged file
 * @param offset byte offset in the file where the damage starts
 * @param problem what does not check out, and, where it helps, what it means or what to do
 */
public record StorageDamage(Path file, long offset, String problem) {
    public StorageDamage {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(problem, "problem");
    }

    @Override
    public String toString() {
        return file + " at byte offset " + offset + ": " + problem;
    }
}
