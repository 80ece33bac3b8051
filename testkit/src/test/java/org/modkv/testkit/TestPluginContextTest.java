package org.modkv.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.modkv.api.config.ConfigException;
import org.modkv.api.config.ConfigKey;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.time.Clock;

class TestPluginContextTest {
    private static final ConfigKey<String> SYNC = ConfigKey.choice("demo.sync", "always", "doc", "always", "none");
    private static final ConfigKey<Long> SIZE = ConfigKey.bytes("demo.size", "1KiB", 1, 1 << 20, "doc");
    private static final ConfigSchema SCHEMA = ConfigSchema.of(SYNC, SIZE);

    @Test
    void bindsValuesAgainstTheSchemaAndDefaultsTheRest(@TempDir Path dir) {
        try (TestPluginContext context = TestPluginContext.builder()
                .nodeId("n1").dataDir(dir.resolve("plugin")).schema(SCHEMA).config(Map.of("demo.sync", "NONE")).build()) {
            assertEquals("n1", context.nodeId());
            assertEquals("none", context.config().get(SYNC));
            assertTrue(context.config().isSet(SYNC));
            assertEquals(1024L, context.config().get(SIZE));
            assertFalse(context.config().isSet(SIZE));
        }
    }

    @Test
    void createsTheDataDirectory(@TempDir Path dir) {
        Path dataDir = dir.resolve("a").resolve("b");
        try (TestPluginContext context = TestPluginContext.builder().dataDir(dataDir).build()) {
            assertEquals(dataDir, context.dataDir());
            assertTrue(Files.isDirectory(dataDir));
        }
    }

    @Test
    void rejectsAnUnknownKeyWithTheSchemasMessage(@TempDir Path dir) {
        TestPluginContext.Builder builder = TestPluginContext.builder().dataDir(dir).schema(SCHEMA).set("demo.typo", "1");

        ConfigException e = assertThrows(ConfigException.class, builder::build);
        assertTrue(e.getMessage().contains("demo.typo"), e.getMessage());
    }

    @Test
    void rejectsABadValueNamingTheKey(@TempDir Path dir) {
        TestPluginContext.Builder builder = TestPluginContext.builder().dataDir(dir).schema(SCHEMA).set("demo.sync", "sometimes");

        ConfigException e = assertThrows(ConfigException.class, builder::build);
        assertTrue(e.getMessage().contains("demo.sync"), e.getMessage());
    }

    @Test
    void requiresADataDirectory() {
        assertThrows(IllegalStateException.class, () -> TestPluginContext.builder().build());
    }

    @Test
    void providesASystemClockAndAWorkingSchedulerThatStopsOnClose(@TempDir Path dir) throws Exception {
        TestPluginContext context = TestPluginContext.builder().dataDir(dir).build();
        assertSame(Clock.system(), context.clock());
        CountDownLatch ran = new CountDownLatch(1);
        context.scheduler().execute(ran::countDown);
        assertTrue(ran.await(30, TimeUnit.SECONDS));

        context.close();

        assertThrows(RejectedExecutionException.class, () -> context.scheduler().execute(() -> { }));
    }

    @Test
    void leavesACallerSuppliedSchedulerOpen(@TempDir Path dir) throws Exception {
        try (ThreadScheduler own = new ThreadScheduler("caller-owned")) {
            TestPluginContext context = TestPluginContext.builder().dataDir(dir).scheduler(own).build();
            context.close();

            CountDownLatch ran = new CountDownLatch(1);
            context.scheduler().execute(ran::countDown);
            assertTrue(ran.await(30, TimeUnit.SECONDS));
        }
    }
}
