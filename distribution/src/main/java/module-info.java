/**
 * The {@code modkv} command line and the packaged distribution: runs a node
 * ({@code modkv node}), lists plugins, talks to a node with one-shot commands or an
 * interactive shell. Only this module knows the plugin set, and only at packaging time.
 */
module org.modkv.distribution {
    requires org.modkv.node;
    requires org.modkv.client;
    requires org.modkv.bench;
    requires info.picocli;
    requires org.jline;
    // bin/modkv configures java.util.logging (conf/logging.properties); the node logs through it.
    requires java.logging;

    // java.util.logging instantiates the manager that bin/modkv names in -Djava.util.logging.manager.
    exports org.modkv.distribution.logging to java.logging;

    // picocli reads and writes the annotated command fields reflectively.
    opens org.modkv.distribution to info.picocli;
    opens org.modkv.distribution.commands to info.picocli;
    opens org.modkv.distribution.server to info.picocli;
    opens org.modkv.distribution.shell to info.picocli;
    opens org.modkv.distribution.perf to info.picocli;
}
