package org.modkv.testkit.crash;

/** What the writer threads of a {@link StorageCrashHarness} child do until it is killed. */
public enum CrashWorkload {
    /**
     * Single-key writes: each thread puts new keys one by one and, every fourth put, deletes a
     * key it put two steps earlier.
     */
    SINGLE_PUTS("single"),
    /**
     * Atomic batches: each thread rewrites its own set of slot keys with one batch id (value
     * and metadata), deletes its previous marker key and puts a new one, all in one batch.
     */
    ATOMIC_BATCHES("batch"),
    /** Even-numbered threads do {@link #SINGLE_PUTS}, odd-numbered ones {@link #ATOMIC_BATCHES}. */
    MIXED("mixed");

    private final String argument;

    CrashWorkload(String argument) {
        this.argument = argument;
    }

    /** The value of {@code --workload} on the child's command line. */
    String argument() {
        return argument;
    }

    /** Whether thread {@code thread} writes batches (else single keys). */
    boolean batchesOnThread(int thread) {
        return this == ATOMIC_BATCHES || (this == MIXED && thread % 2 == 1);
    }

    static CrashWorkload fromArgument(String argument) {
        for (CrashWorkload workload : values()) {
            if (workload.argument.equals(argument)) {
                return workload;
            }
        }
        throw new IllegalArgumentException("--workload '" + argument + "' is not allowed; use single, batch or mixed");
    }
}
