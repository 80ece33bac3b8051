package org.modkv.api;

/** The four kinds of plugin a node is assembled from. */
public enum PluginKind {
    STORAGE("storage"),
    REPLICATION("replication"),
    INDEX("index"),
    TRANSPORT("transport");

    private final String configKey;

    PluginKind(String configKey) {
        this.configKey = configKey;
    }

    /** The kernel config key that selects plugins of this kind, e.g. {@code storage}. */
    public String configKey() {
        return configKey;
    }
}
