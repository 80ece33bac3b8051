package org.modkv.node.runtime;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Singleton;
import org.modkv.api.time.Clock;
import org.modkv.api.transport.RequestLimits;
import org.modkv.node.config.KernelKeys;
import org.modkv.node.config.NodeConfig;
import org.modkv.node.pipeline.NodeMetrics;

/** Kernel services, each derived from the validated config. */
@Module
final class NodeModule {
    private NodeModule() {
    }

    @Provides
    @Singleton
    static Clock clock() {
        return Clock.system();
    }

    @Provides
    @Singleton
    static KernelScheduler scheduler(NodeConfig config) {
        return new KernelScheduler(config.nodeId());
    }

    @Provides
    @Singleton
    static NodeMetrics metrics() {
        return new NodeMetrics();
    }

    @Provides
    @Singleton
    static RequestLimits limits(NodeConfig config) {
        return new RequestLimits(config.kernel().get(KernelKeys.MAX_KEY_BYTES),
                config.kernel().get(KernelKeys.MAX_VALUE_BYTES),
                config.kernel().get(KernelKeys.MAX_BATCH_BYTES),
                config.kernel().get(KernelKeys.MAX_BATCH_ENTRIES));
    }
}
