package org.modkv.api;

/** The four kinds of plugin a node is assembled from. */
public enum PluginKind {
    STORAGE("storage", "storage"),
    REPLICATION("replication", "replication"),
    INDEX("index", "indexes"),
    TRANSPORT("transport", "transports");

    private final String label;
    private final String configKey;

    PluginKind(String label, String configKey) {
        this.label = label;
        this.configKey = configKey;
    }

    /** The kind as a word in messages and directory names, e.g. {@code index}. */
    public String label() {
        return label;
    }

    /**
     * The kernel config key that chooses plugins of this kind: {@code storage} and
     * {@code replication} take one name, {@code indexes} and {@code transports} a list.
     */
    public String configKey() {
        return configKey;
    }
}
