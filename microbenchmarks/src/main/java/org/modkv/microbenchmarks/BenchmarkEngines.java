package org.modkv.microbenchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StorageProvider;

/** Opens storage engines for benchmarks the way the node does: provider by name, config bound to its schema. */
final class BenchmarkEngines {
    private BenchmarkEngines() {
    }

    /** Opens the {@code storage} provider named {@code name} in a new temporary directory. */
    static StorageEngine open(String name, Map<String, String> config, Path dir) throws IOException {
        StorageProvider provider = ServiceLoader.load(StorageProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no storage provider named " + name
                        + " on the module path"));
        return provider.open(new BenchPluginContext(provider, config, dir));
    }

    static Path newDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
