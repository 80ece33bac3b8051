package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.modkv.api.storage.DurableLog;
import org.modkv.api.storage.StorageEngine;
import org.modkv.testkit.TestPluginContext;
import org.modkv.testkit.storage.DurableLogContract;

/**
 * The durable-log contract against the {@code wal} engine's log ({@link WalDurableLog}), opened
 * through the provider and {@code openLog} as the node opens it, with its defaults
 * ({@code wal.sync=always}). A clean restart closes the log and the engine and opens both
 * again. A crash is a process crash (SIGKILL) at an instant: the log's files are copied as they
 * are while the engine keeps running, appends in flight included, and a new engine opens the
 * copy; what the OS had not yet written out cannot be lost that way, so this checks recovery
 * and ordering, not fsync (the kill tests in {@link WalCrashTest} and the storage TCK cover
 * acknowledged writes with real processes).
 */
class WalDurableLogContractTest extends DurableLogContract {
    private static final String LOG = "raft";

    private final List<TestPluginContext> contexts = new ArrayList<>();
    private final List<StorageEngine> engines = new ArrayList<>();
    private Path root;
    private Path engineDir;
    private StorageEngine engine;
    private int crashes;

    /** Config of the engines under test, over the provider's defaults. */
    protected Map<String, String> config() {
        return Map.of();
    }

    @Override
    protected DurableLog openEmptyLog(Path dir) throws IOException {
        root = dir;
        return openEngine(dir.resolve("engine"));
    }

    @Override
    protected DurableLog closeAndReopen(DurableLog log) throws IOException {
        log.close();
        engine.close();
        return openEngine(engineDir);
    }

    @Override
    protected DurableLog crashAndRestart(DurableLog log) throws IOException {
        Path copy = root.resolve("crash-" + ++crashes);
        copyFiles(engineDir.resolve("log-" + LOG), copy.resolve("log-" + LOG));
        return openEngine(copy);
    }

    @Override
    protected void release() throws Exception {
        for (StorageEngine each : engines) {
            each.close();
        }
        for (TestPluginContext context : contexts) {
            context.close();
        }
    }

    private DurableLog openEngine(Path dir) throws IOException {
        TestPluginContext context = TestPluginContext.builder().nodeId("contract").dataDir(dir)
                .schema(new WalStorageProvider().configSchema()).config(config()).build();
        contexts.add(context);
        engine = new WalStorageProvider().open(context);
        engines.add(engine);
        engineDir = dir;
        return engine.openLog(LOG).orElseThrow();
    }

    /** Copies the files of {@code from} as they are now (a file being appended to may end torn). */
    private static void copyFiles(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    Files.copy(file, to.resolve(file.getFileName()));
                }
            }
        }
    }
}
