package org.modkv.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.modkv.api.transport.EventLoopFsync;

class PendingFsyncsTest {
    private final List<String> told = new ArrayList<>();
    private final EventLoopFsync.Done done = (tag, errno) -> told.add(tag + ":" + errno);

    @Test
    void eachFsyncIsToldOnceWithItsTagAndItsSlotIsFreedForTheNext() {
        PendingFsyncs pending = new PendingFsyncs(2);
        int first = pending.hold(10, done);
        int second = pending.hold(11, done);
        assertEquals(-1, pending.hold(12, done), "no slot is left");
        assertTrue(pending.isHeld(first) && pending.isHeld(second));
        pending.finish(second, 0);
        pending.finish(second, 0); // a duplicate completion is ignored
        assertFalse(pending.isHeld(second));
        assertEquals(second, pending.hold(13, done), "the freed slot is reused");
        pending.finish(first, 5);
        assertEquals(List.of("11:0", "10:5"), told);
    }

    @Test
    void releasedSlotsAreNotToldAndAbandonedOnesAreToldTheyNeverRan() {
        PendingFsyncs pending = new PendingFsyncs(3);
        int released = pending.hold(1, done);
        pending.hold(2, done);
        pending.release(released);
        pending.abandonAll();
        assertEquals(List.of("2:" + EventLoopFsync.NOT_RUN), told);
        assertFalse(pending.isHeld(-1));
        assertFalse(pending.isHeld(3));
    }

    @Test
    void aDoneThatThrowsDoesNotStopTheOthers() {
        PendingFsyncs pending = new PendingFsyncs(2);
        pending.hold(1, (tag, errno) -> {
            throw new IllegalStateException("boom");
        });
        pending.hold(2, done);
        pending.abandonAll();
        assertEquals(List.of("2:" + EventLoopFsync.NOT_RUN), told);
    }

    @Test
    void aCapacityBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PendingFsyncs(0));
    }
}
