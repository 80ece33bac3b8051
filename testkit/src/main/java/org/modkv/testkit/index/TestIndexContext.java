package org.modkv.testkit.index;

import java.util.Objects;
import org.modkv.api.index.IndexContext;
import org.modkv.api.index.StoredData;
import org.modkv.testkit.ForwardingPluginContext;
import org.modkv.testkit.TestPluginContext;

/** An {@link IndexContext} for tests: a {@link TestPluginContext} plus the stored data to read. */
public final class TestIndexContext extends ForwardingPluginContext implements IndexContext {
    private final StoredData storedData;

    public TestIndexContext(TestPluginContext base, StoredData storedData) {
        super(base);
        this.storedData = Objects.requireNonNull(storedData, "storedData");
    }

    @Override
    public StoredData storedData() {
        return storedData;
    }
}
