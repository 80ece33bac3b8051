package org.modkv.node;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.modkv.api.Plugin;
import org.modkv.api.PluginKind;
import org.modkv.api.storage.StorageCheckReport;
import org.modkv.api.storage.StorageProvider;
import org.modkv.pluginloader.LoadedPlugin;
import org.modkv.node.runtime.DataDirLock;

/**
 * The offline check of a stopped node's data directory behind {@code modkv check}: holds the
 * directory's lock for the whole check (so it refuses a directory a running node holds, and no
 * node can start on it meanwhile), then asks the storage plugin of each {@code storage-<name>/}
 * directory there to check it ({@link StorageProvider#check}). Reads only; changes nothing but
 * the lock.
 */
public final class DataDirCheck {
    private static final String STORAGE_PREFIX = PluginKind.STORAGE.label() + "-";

    /**
     * What one storage plugin's check found.
     *
     * @param storage the plugin's name
     * @param directory the directory it checked
     * @param report what it found, or empty if the plugin has no offline check
     */
    public record Result(String storage, Path directory, Optional<StorageCheckReport> report) {
    }

    private DataDirCheck() {
    }

    /**
     * Checks the storage under {@code dataDir}: a node's {@code data.dir} (holding {@code LOCK}
     * and {@code storage-<name>/}), or one of its {@code storage-<name>} directories.
     *
     * @param pluginDirs where to find plugins besides the module path (as for a node)
     * @throws IOException if {@code dataDir} is not a modkv data directory, a running node holds
     *     it, a storage directory names no plugin found, or a file cannot be read; the message
     *     says which
     */
    public static List<Result> run(Path dataDir, List<Path> pluginDirs) throws IOException {
        return run(dataDir, pluginDirs, List.of());
    }

    /** As {@link #run(Path, List)}, with plugin instances supplied by an embedding program as well. */
    public static List<Result> run(Path dataDir, List<Path> pluginDirs, List<? extends Plugin> embedded)
            throws IOException {
        Path given = dataDir.toAbsolutePath().normalize();
        if (!Files.isDirectory(given)) {
            throw new IOException(given + " is not a directory; pass the node's data.dir");
        }
        Map<String, Path> storageDirs = storageDirs(given);
        Path root = given;
        String name = given.getFileName() == null ? "" : given.getFileName().toString();
        if (storageDirs.isEmpty() && name.startsWith(STORAGE_PREFIX) && given.getParent() != null) {
            root = given.getParent(); // the storage directory itself: check it, under its node's lock
            storageDirs = Map.of(name.substring(STORAGE_PREFIX.length()), given);
        }
        if (storageDirs.isEmpty()) {
            throw new IOException(given + " is not a modkv data directory: it has no " + STORAGE_PREFIX
                    + "<plugin> directory (a node's data.dir holds LOCK and e.g. " + STORAGE_PREFIX + "wal/)");
        }
        Map<String, StorageProvider> providers = storageProviders(pluginDirs, embedded);
        for (String storage : storageDirs.keySet()) {
            if (!providers.containsKey(storage)) {
                throw new IOException(storageDirs.get(storage) + ": no storage plugin named '" + storage
                        + "' was found; plugins found: " + String.join(", ", providers.keySet()));
            }
        }
        try (DataDirLock lock = DataDirLock.tryAcquire(root)) {
            if (lock == null) {
                throw new IOException("data directory " + root + " is in use by a running modkv node; stop the node "
                        + "first: the check reads its files offline");
            }
            List<Result> results = new ArrayList<>();
            for (Map.Entry<String, Path> storage : storageDirs.entrySet()) {
                results.add(new Result(storage.getKey(), storage.getValue(),
                        providers.get(storage.getKey()).check(storage.getValue())));
            }
            return results;
        }
    }

    private static Map<String, Path> storageDirs(Path dir) throws IOException {
        Map<String, Path> found = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (Files.isDirectory(entry) && name.startsWith(STORAGE_PREFIX)
                        && name.length() > STORAGE_PREFIX.length()) {
                    found.put(name.substring(STORAGE_PREFIX.length()), entry);
                }
            }
        }
        return found;
    }

    private static Map<String, StorageProvider> storageProviders(List<Path> pluginDirs,
                                                                 List<? extends Plugin> embedded) {
        Map<String, StorageProvider> providers = new TreeMap<>();
        for (LoadedPlugin loaded : PluginCatalog.discover(pluginDirs, embedded).loaded()) {
            if (loaded.plugin() instanceof StorageProvider storage) {
                providers.put(storage.name(), storage);
            }
        }
        return providers;
    }
}
