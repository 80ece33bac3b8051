package org.modkv.storage.perkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressLogTest {
    @Test
    void lineSaysWhatHowFarOfHowManyAndHowFast() {
        ProgressLog progress = new ProgressLog("perkey /d: key files written from the intent log", 10);
        String line = progress.line(3, System.nanoTime() + 1_000_000_000L);

        assertTrue(line.startsWith("perkey /d: key files written from the intent log: 3 of 10 so far, "), line);
        assertTrue(line.endsWith(" per second"), line);
    }

    @Test
    void unknownTotalIsLeftOut() {
        String line = new ProgressLog("key files checked", -1).line(7, System.nanoTime());

        assertTrue(line.startsWith("key files checked: 7 so far"), line);
        assertFalse(line.contains(" of "), line);
    }

    @Test
    void advanceCountsEveryCallFromManyThreadsWhileLoggingAsItGoes() throws InterruptedException {
        ProgressLog progress = new ProgressLog("test units", 40_000, 0);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    progress.advance();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertEquals(40_000, progress.done());
    }
}
