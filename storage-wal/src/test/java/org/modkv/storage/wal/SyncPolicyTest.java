package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.modkv.storage.wal.SyncPolicy.Step;

/** What a commit does about fsync in each {@code wal.sync} mode. */
class SyncPolicyTest {
    private static final long MS = 1_000_000L;

    @Test
    void noneCompletesEveryGroupUnforced() {
        SyncPolicy none = new SyncPolicy(SyncMode.NONE, 10);
        assertEquals(Step.COMPLETE_UNFORCED, none.next(true, false, false, 0));
        assertEquals(Step.COMPLETE_UNFORCED, none.next(true, true, true, 0));
        assertFalse(none.forcesDurableWrites());
        assertFalse(none.forcesEachGroup());
    }

    @Test
    void alwaysForcesOutsideTheTurnUnlessDurableLogsAreOpen() {
        SyncPolicy always = new SyncPolicy(SyncMode.ALWAYS, 10);
        assertEquals(Step.WAIT, always.next(false, false, false, 0), "no durable write waits");
        assertEquals(Step.FSYNC_OUTSIDE_TURN, always.next(true, false, false, 0));
        assertEquals(Step.FSYNC_IN_TURN, always.next(true, true, false, 0), "logs are forced with the segment");
        assertTrue(always.forcesDurableWrites());
        assertTrue(always.forcesEachGroup());
    }

    @Test
    void batchForcesInTheTurnOncePerIntervalOrWhenClosing() {
        SyncPolicy batch = new SyncPolicy(SyncMode.BATCH, 10);
        batch.fsynced(100 * MS);
        assertEquals(Step.WAIT, batch.next(true, false, false, 105 * MS), "the interval has not run out");
        assertEquals(Step.FSYNC_IN_TURN, batch.next(true, false, true, 105 * MS), "closing forces at once");
        assertEquals(Step.FSYNC_IN_TURN, batch.next(true, false, false, 110 * MS));
        assertEquals(Step.WAIT, batch.next(false, false, false, 200 * MS), "no durable write waits");
        batch.fsynced(110 * MS);
        assertEquals(Step.WAIT, batch.next(true, false, false, 119 * MS), "a new interval starts at each fsync");
        assertTrue(batch.forcesDurableWrites());
        assertFalse(batch.forcesEachGroup());
    }
}
