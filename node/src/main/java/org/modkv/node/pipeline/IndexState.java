package org.modkv.node.pipeline;

/** Whether an index can answer queries, as stats, INFO and {@code /metrics} show it. */
public enum IndexState {
    /** Up to date with what it was given; answers queries. */
    OK("ok"),
    /** Catching up with storage (at start-up, after its queue overflowed, after a snapshot install). */
    CATCHING_UP("catching_up"),
    /** Being rebuilt from storage after {@code Index.apply} failed. */
    REBUILDING("rebuilding"),
    /** A rebuild failed too; the kernel retries it. Queries fail at once. */
    FAILED("failed");

    private final String label;

    IndexState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
