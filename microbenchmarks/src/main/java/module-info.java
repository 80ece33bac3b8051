/**
 * JMH microbenchmarks for the hot paths: the {@code wal} engine's group commit and point reads,
 * loaded through {@link java.util.ServiceLoader} like the node loads it. Run by hand; see the
 * module's pom for the command.
 */
module org.modkv.microbenchmarks {
    requires org.modkv.api;
    requires jmh.core;

    uses org.modkv.api.storage.StorageProvider;

    opens org.modkv.microbenchmarks.jmh_generated to jmh.core;
}
