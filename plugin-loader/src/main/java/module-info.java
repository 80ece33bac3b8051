/**
 * Finding and loading plugins (docs/design/plugin-platform.md): {@link
 * org.modkv.pluginloader.PluginLoader} and the rules it checks before a plugin's classes load,
 * {@link org.modkv.pluginloader.PluginModuleRules}. Used by the node and by testkit.
 */
module org.modkv.pluginloader {
    requires transitive org.modkv.api;

    exports org.modkv.pluginloader;

    uses org.modkv.api.storage.StorageProvider;
    uses org.modkv.api.replication.ReplicationProvider;
    uses org.modkv.api.index.IndexProvider;
    uses org.modkv.api.transport.TransportProvider;
}
