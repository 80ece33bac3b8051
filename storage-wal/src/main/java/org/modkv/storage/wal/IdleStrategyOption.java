package org.modkv.storage.wal;

import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * How the group-commit agent waits when there is nothing to do: the
 * {@code wal.idle.strategy} setting. Whatever the choice, a writer that finds the agent idle
 * wakes it ({@code LockSupport.unpark}), so a parked agent costs no latency, only the choice
 * of how much CPU an idle engine burns.
 */
enum IdleStrategyOption {
    /** Spin a little, yield a little, then park for up to 1 ms. */
    BACKOFF("backoff"),
    /**
     * Park: 1 ms at a time while work is in flight, up to 20 ms when there is none (whoever
     * brings work wakes it); cheapest when idle. See {@link CommitAgentIdleStrategy}.
     */
    SLEEPING("sleeping"),
    /** {@code Thread.yield()} in a loop; a full core when idle. */
    YIELDING("yielding"),
    /** Spin; a full core when idle, lowest latency on a machine with cores to spare. */
    BUSY("busy");

    private final String configValue;

    IdleStrategyOption(String configValue) {
        this.configValue = configValue;
    }

    String configValue() {
        return configValue;
    }

    /**
     * A new strategy instance (strategies hold state, one per agent).
     *
     * @param nothingInFlight whether the agent has nothing it must look at again by itself
     */
    IdleStrategy newStrategy(java.util.function.BooleanSupplier nothingInFlight) {
        return switch (this) {
            case BACKOFF -> new BackoffIdleStrategy(16, 8, TimeUnit.MICROSECONDS.toNanos(1),
                    TimeUnit.MILLISECONDS.toNanos(1));
            case SLEEPING -> new CommitAgentIdleStrategy(nothingInFlight);
            case YIELDING -> new YieldingIdleStrategy();
            case BUSY -> new BusySpinIdleStrategy();
        };
    }

    static IdleStrategyOption fromConfig(String value) {
        for (IdleStrategyOption option : values()) {
            if (option.configValue.equals(value)) {
                return option;
            }
        }
        throw new IllegalArgumentException("unknown wal.idle.strategy value '" + value + "'");
    }
}
