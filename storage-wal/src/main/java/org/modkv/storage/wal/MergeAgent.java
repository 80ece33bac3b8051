package org.modkv.storage.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.agrona.concurrent.Agent;

/**
 * The background duty cycle of {@link SegmentMerger}: every {@code wal.merge.interval.ms} it
 * writes hint files for newly sealed segments and merges the sealed files that crossed
 * {@code wal.merge.trigger.ratio}. A failed merge is logged and tried again next time; it
 * never affects writes (the inputs stay until their outputs are in place).
 */
final class MergeAgent implements Agent {
    static final String ROLE = "wal-merge";
    private static final System.Logger LOG = System.getLogger(MergeAgent.class.getName());

    private final SegmentMerger merger;
    private final double triggerRatio;
    private final int minFiles;
    private final long intervalNs;
    private long nextRunNs;

    MergeAgent(SegmentMerger merger, WalOptions options) {
        this.merger = merger;
        this.triggerRatio = options.mergeTriggerRatio();
        this.minFiles = options.mergeMinFiles();
        this.intervalNs = options.mergeIntervalMs() * 1_000_000L;
    }

    @Override
    public String roleName() {
        return ROLE;
    }

    @Override
    public void onStart() {
        nextRunNs = System.nanoTime() + intervalNs;
    }

    @Override
    public int doWork() {
        long nowNs = System.nanoTime();
        if (nowNs - nextRunNs < 0) {
            return 0;
        }
        nextRunNs = nowNs + intervalNs;
        try {
            return merger.runOnce(triggerRatio, minFiles) ? 1 : 0;
        } catch (InterruptedIOException stopping) {
            return 0;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "merge failed; the data files are unchanged and it will be tried "
                    + "again in " + intervalNs / 1_000_000 + " ms", e);
            return 0;
        }
    }
}
