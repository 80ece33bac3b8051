package org.modkv.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.modkv.api.Plugin;
import org.modkv.api.PluginContext;
import org.modkv.api.config.Config;
import org.modkv.api.config.ConfigSchema;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;

/**
 * A real {@link PluginContext} for plugin tests: config bound and validated with
 * {@link ConfigSchema#bind} exactly as the kernel does it, a data directory the test owns
 * (typically a JUnit {@code @TempDir}), the system clock and a real single-threaded
 * {@link ThreadScheduler}.
 *
 * <pre>{@code
 * try (TestPluginContext context = TestPluginContext.builder()
 *         .dataDir(tempDir.resolve("wal"))
 *         .schema(provider.configSchema())
 *         .set("wal.sync", "none")
 *         .build();
 *      StorageEngine engine = provider.open(context)) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Close the context when the test ends: it stops the scheduler it created (a scheduler
 * passed to {@link Builder#scheduler} stays the caller's). Thread-safe; immutable apart from
 * the scheduler.
 */
public final class TestPluginContext implements PluginContext, AutoCloseable {
    private final String nodeId;
    private final Path dataDir;
    private final ConfigSchema schema;
    private final Config config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final ThreadScheduler ownedScheduler;

    private TestPluginContext(Builder builder, Config config, ThreadScheduler ownedScheduler) {
        this.nodeId = builder.nodeId;
        this.dataDir = builder.dataDir.toAbsolutePath().normalize();
        this.schema = builder.schema;
        this.config = config;
        this.clock = builder.clock;
        this.ownedScheduler = ownedScheduler;
        this.scheduler = ownedScheduler != null ? ownedScheduler : builder.scheduler;
    }

    /** A builder with node id {@code test-node}, an empty schema and no values. */
    public static Builder builder() {
        return new Builder();
    }

    /** A context for {@code plugin} with its schema and default config, data under {@code dataDir}. */
    public static TestPluginContext forPlugin(Plugin plugin, Path dataDir) {
        return builder().schema(plugin.configSchema()).dataDir(dataDir).build();
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public Config config() {
        return config;
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Scheduler scheduler() {
        return scheduler;
    }

    /** The schema the config was bound against. */
    public ConfigSchema schema() {
        return schema;
    }

    /** Stops the scheduler this context created, if any. Idempotent. */
    @Override
    public void close() {
        if (ownedScheduler != null) {
            ownedScheduler.close();
        }
    }

    @Override
    public String toString() {
        return "TestPluginContext(node=" + nodeId + ", dataDir=" + dataDir + ", " + config + ")";
    }

    /** Builds a {@link TestPluginContext}. Not thread-safe; use once. */
    public static final class Builder {
        private String nodeId = "test-node";
        private Path dataDir;
        private ConfigSchema schema = ConfigSchema.empty();
        private final Map<String, String> values = new LinkedHashMap<>();
        private Clock clock = Clock.system();
        private Scheduler scheduler;

        private Builder() {
        }

        public Builder nodeId(String nodeId) {
            this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
            return this;
        }

        /**
         * The plugin's data directory (required). Created, with its parents, by {@link #build()}
         * as the kernel would; usually a sub-directory of a JUnit {@code @TempDir}. Like the
         * kernel, the context hands it out absolute and normalized.
         */
        public Builder dataDir(Path dataDir) {
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /** The schema the values are bound against, normally {@code plugin.configSchema()}. */
        public Builder schema(ConfigSchema schema) {
            this.schema = Objects.requireNonNull(schema, "schema");
            return this;
        }

        /** Adds raw config values (key name to text), as they would appear in a properties file. */
        public Builder config(Map<String, String> values) {
            Objects.requireNonNull(values, "values").forEach(this::set);
            return this;
        }

        /** Sets one raw config value. */
        public Builder set(String key, String value) {
            values.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Replaces the system clock, e.g. with a simulated one. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Uses {@code scheduler} instead of a new {@link ThreadScheduler}; the caller keeps
         * ownership and closes it.
         */
        public Builder scheduler(Scheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Binds the config and creates the data directory.
         *
         * @throws org.modkv.api.config.ConfigException if a value is unknown to the schema or
         *     not allowed, with the schema's message
         * @throws IllegalStateException if no data directory was given
         * @throws UncheckedIOException if the data directory cannot be created
         */
        public TestPluginContext build() {
            if (dataDir == null) {
                throw new IllegalStateException("TestPluginContext needs a dataDir, e.g. a JUnit @TempDir");
            }
            Config config = schema.bind(values);
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create data directory " + dataDir, e);
            }
            ThreadScheduler owned = scheduler == null ? new ThreadScheduler("modkv-test-scheduler-" + nodeId) : null;
            return new TestPluginContext(this, config, owned);
        }
    }
}
