package org.modkv.testkit.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.modkv.api.storage.DurableLog;
import org.modkv.testkit.storage.DurableLogContract;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The durable-log contract against {@link SimulatedDurableLog}, opened through
 * {@link SimulatedStorage#openLog} as a simulated node opens it: a clean restart opens the
 * closed log again on the same storage, a crash restarts on {@link SimulatedStorage#crashCopy()}
 * (the durable prefix only). The simulation runs on the test's thread, so the log is never
 * called from another one.
 */
class SimulatedDurableLogContractTest extends DurableLogContract {
    private static final String NODE = "n1";
    private static final String LOG = "raft";

    private Simulation sim;
    private SimulatedStorage storage;

    @Override
    protected DurableLog openEmptyLog(Path dir) {
        sim = new Simulation(20);
        storage = new SimulatedStorage(sim, NODE);
        return storage.openLog(LOG).orElseThrow();
    }

    @Override
    protected DurableLog closeAndReopen(DurableLog log) throws IOException {
        log.close();
        return storage.openLog(LOG).orElseThrow();
    }

    @Override
    protected DurableLog crashAndRestart(DurableLog log) {
        sim.crash(NODE);
        storage = storage.crashCopy();
        return storage.openLog(LOG).orElseThrow();
    }

    @Override
    protected boolean callableFromManyThreads() {
        return false;
    }

    @Override
    protected void awaitDone(CompletableFuture<?> future) {
        assertTrue(sim.runUntil(future::isDone, Duration.ofSeconds(WAIT_SECONDS)),
                "not done after " + WAIT_SECONDS + " simulated seconds: " + future + " (" + sim + ")");
    }
}
