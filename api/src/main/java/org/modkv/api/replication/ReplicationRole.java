package org.modkv.api.replication;

import java.util.Locale;

/** What part a node plays in replication now; shown by INFO and stats. */
public enum ReplicationRole {
    STANDALONE, LEADER, FOLLOWER, CANDIDATE, PEER;

    /** Lower-case name, as INFO shows it ({@code role:leader}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
