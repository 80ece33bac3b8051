package org.modkv.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.storage.StorageCheckReport;

/**
 * {@code modkv check}'s kernel side: finds the storage directories of a data directory and has
 * their plugins check them, under the data directory's lock, and says clearly what is wrong
 * with a directory it cannot check.
 */
class DataDirCheckTest {
    private static final List<MemoryStorageProvider> PLUGINS = List.of(new MemoryStorageProvider());

    @TempDir
    Path dir;

    private List<DataDirCheck.Result> check(Path target) throws IOException {
        return DataDirCheck.run(target, List.of(), PLUGINS);
    }

    @Test
    void checksEachStorageDirectoryWithItsPlugin() throws IOException {
        Path storage = Files.createDirectories(dir.resolve("storage-memory"));
        Files.writeString(storage.resolve("a.bad"), "x");
        List<DataDirCheck.Result> results = check(dir);
        assertEquals(1, results.size());
        assertEquals("memory", results.get(0).storage());
        assertEquals(storage, results.get(0).directory());
        StorageCheckReport report = results.get(0).report().orElseThrow();
        assertEquals(List.of(storage.resolve("a.bad")), report.damage().stream().map(d -> d.file()).toList());
        assertEquals(check(dir), check(storage), "the storage directory itself may be given too");
    }

    @Test
    void refusesADirectoryARunningNodeHolds() throws IOException {
        try (ModkvNode node = ModkvNode.start(NodeOptions.of(Map.of("data.dir", dir.toString(), "storage", "memory",
                "transports", "", "indexes", "", "metrics.listen", "off")), PLUGINS)) {
            IOException e = assertThrows(IOException.class, () -> check(dir));
            assertTrue(e.getMessage().contains("is in use by a running modkv node; stop the node first"),
                    e.getMessage());
        }
        assertTrue(check(dir).get(0).report().orElseThrow().isClean(), "once the node stopped");
    }

    @Test
    void saysWhatIsWrongWithADirectoryItCannotCheck() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> check(dir.resolve("nope")));
        assertTrue(missing.getMessage().contains("is not a directory"), missing.getMessage());

        IOException empty = assertThrows(IOException.class, () -> check(dir));
        assertTrue(empty.getMessage().contains("is not a modkv data directory")
                && empty.getMessage().contains("storage-wal"), empty.getMessage());

        Files.createDirectories(dir.resolve("storage-rocks"));
        IOException unknown = assertThrows(IOException.class, () -> check(dir));
        assertTrue(unknown.getMessage().contains("no storage plugin named 'rocks'")
                && unknown.getMessage().contains("memory"), unknown.getMessage());
    }
}
