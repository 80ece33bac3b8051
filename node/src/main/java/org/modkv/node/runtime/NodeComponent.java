package org.modkv.node.runtime;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Singleton;
import org.modkv.node.config.NodeConfig;

/** The Dagger graph of one node, built from its validated config. */
@Singleton
@Component(modules = NodeModule.class)
public interface NodeComponent {

    /** The node's runtime, not yet started. */
    NodeRuntime runtime();

    /** Creates the graph. */
    @Component.Factory
    interface Factory {
        NodeComponent create(@BindsInstance NodeConfig config);
    }

    /** A graph for {@code config}. */
    static NodeComponent of(NodeConfig config) {
        return DaggerNodeComponent.factory().create(config);
    }
}
