package org.modkv.storage.wal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One thread at a time holds the turn; leaving it notes whether work is left for the agent's thread. */
class CommitTurnTest {

    @Test
    void oneHolderAtATimeAndLeavingNotesWorkLeftBehind() throws Exception {
        AtomicBoolean workLeft = new AtomicBoolean();
        CommitTurn turn = new CommitTurn(workLeft::get);
        assertTrue(turn.tryTake());
        assertFalse(turn.tryTake(), "held");
        workLeft.set(true);
        turn.release();
        assertTrue(turn.workLeftBehind());
        Thread other = new Thread(() -> {
            turn.take();
            workLeft.set(false);
            turn.release();
        });
        turn.take();
        other.start();
        turn.release(); // the other thread gets it now
        other.join(30_000);
        assertFalse(other.isAlive());
        assertFalse(turn.workLeftBehind(), "noted by the thread that left last");
        assertTrue(turn.tryTake());
    }
}
