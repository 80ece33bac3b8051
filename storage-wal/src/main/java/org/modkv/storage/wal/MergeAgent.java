package org.modkv.storage.wal;

import java.io.IOException;
import java.io.InterruptedIOException;
import org.agrona.concurrent.Agent;

/**
 * The background duty cycle of {@link SegmentMerger}: every {@code wal.merge.interval.ms} it
 * writes hint files for newly sealed segments and merges the sealed files that crossed
 * {@code wal.merge.trigger.ratio}. A failed merge never affects writes (it takes its outputs
 * back, and the inputs stay until a merge commits); {@link MergeFailures} counts it, backs the
 * next round off and decides whether to warn.
 */
final class MergeAgent implements Agent {
    static final String ROLE = "wal-merge";
    private static final System.Logger LOG = System.getLogger(MergeAgent.class.getName());

    private final SegmentMerger merger;
    private final MergeFailures failures;
    private final double triggerRatio;
    private final int minFiles;
    private final long intervalNs;
    private long nextRunNs;

    MergeAgent(SegmentMerger merger, MergeFailures failures, WalOptions options) {
        this.merger = merger;
        this.failures = failures;
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
        boolean work;
        try {
            work = merger.runOnce(triggerRatio, minFiles);
        } catch (InterruptedIOException stopping) {
            return 0;
        } catch (IOException | RuntimeException e) {
            String warning = failures.failed(e, nowNs);
            nextRunNs = nowNs + failures.retryDelayNs();
            if (warning != null) {
                LOG.log(System.Logger.Level.WARNING, warning, e);
            }
            return 0;
        }
        String recovered = failures.succeeded();
        if (recovered != null) {
            LOG.log(System.Logger.Level.INFO, recovered);
        }
        return work ? 1 : 0;
    }
}
