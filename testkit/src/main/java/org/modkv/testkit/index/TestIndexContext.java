package org.modkv.testkit.index;

import java.nio.file.Path;
import org.modkv.api.config.Config;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.StoredData;
import org.modkv.api.time.Clock;
import org.modkv.api.time.Scheduler;
import org.modkv.testkit.TestPluginContext;

/** An {@link IndexContext} for tests: a {@link TestPluginContext} plus the stored data to read. */
public final class TestIndexContext implements IndexContext {
    private final TestPluginContext base;
    private final StoredData storedData;

    public TestIndexContext(TestPluginContext base, StoredData storedData) {
        this.base = base;
        this.storedData = storedData;
    }

    @Override
    public StoredData storedData() {
        return storedData;
    }

    @Override
    public String nodeId() {
        return base.nodeId();
    }

    @Override
    public Config config() {
        return base.config();
    }

    @Override
    public Path dataDir() {
        return base.dataDir();
    }

    @Override
    public Clock clock() {
        return base.clock();
    }

    @Override
    public Scheduler scheduler() {
        return base.scheduler();
    }
}
