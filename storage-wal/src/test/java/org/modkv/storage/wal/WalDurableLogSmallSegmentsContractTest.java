package org.modkv.storage.wal;

import java.util.Map;

/**
 * The durable-log contract against the {@code wal} engine's log with 1 KiB segments, so that
 * appends roll segments and truncations cut across them.
 */
class WalDurableLogSmallSegmentsContractTest extends WalDurableLogContractTest {
    @Override
    protected Map<String, String> config() {
        return Map.of("wal.segment.bytes", "1KiB");
    }
}
