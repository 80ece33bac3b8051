package org.modkv.replication.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.modkv.api.ErrorCode;
import org.modkv.api.ModkvException;

class DeadlinesTest {
    @Test
    void aSweepFailsWhatIsStillWaitingAtItsDeadlineAndLeavesTheRest() {
        Deadlines deadlines = new Deadlines();
        CompletableFuture<Long> late = new CompletableFuture<>();
        CompletableFuture<Long> answered = new CompletableFuture<>();
        CompletableFuture<Long> later = new CompletableFuture<>();
        deadlines.add(late, 100, () -> new ModkvException(ErrorCode.UNAVAILABLE, "late"));
        deadlines.add(answered, 150, () -> new ModkvException(ErrorCode.UNAVAILABLE, "answered"));
        deadlines.add(later, 300, () -> new ModkvException(ErrorCode.UNAVAILABLE, "later"));
        answered.complete(7L);

        deadlines.expire(99);
        assertFalse(late.isDone());
        deadlines.expire(200);
        assertTrue(late.isCompletedExceptionally());
        assertEquals("late", late.handle((v, e) -> e.getMessage()).join());
        assertEquals(7L, answered.join());
        assertFalse(later.isDone());
        assertEquals(1, deadlines.size());
        deadlines.expire(300);
        assertTrue(later.isCompletedExceptionally());
        assertEquals(0, deadlines.size());
    }
}
