package org.modkv.storage.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;
import org.agrona.IoUtil;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A slow background scrub ({@code wal.scrub.bytes.per.second}, off by default): checks the
 * CRC32C of every record of every sealed data file, one file after the other, at most that many
 * bytes per second, and starts over when it has done them all. Reads check only the entries
 * they serve; the scrub finds damage in data nobody reads, while a replica or a backup still has
 * it. A damaged file is marked ({@link DataFile#markDamaged}: logged once, left out of merges,
 * counted in {@code damaged_files}) and the scrub goes on with the next file.
 *
 * <p>Progress in the stats: {@code scrub_passes} (complete passes over the sealed files),
 * {@code scrub_bytes} (bytes checked), {@code scrub_damaged_records}.
 *
 * <p>Threading: its own agent thread. It maps the file it checks read-only; a merge that
 * retires the file meanwhile leaves the map valid, and damage in a retired file is not reported.
 */
final class ScrubAgent implements Agent {
    static final String ROLE = "wal-scrub";
    private static final System.Logger LOG = System.getLogger(ScrubAgent.class.getName());
    /** Bytes checked per duty cycle at most; the rate limit spaces the cycles. */
    private static final int STEP_BYTES = 256 * 1024;
    /** How long to wait before looking again when there is no sealed file. */
    private static final long IDLE_NS = 1_000_000_000L;

    private final DataFiles files;
    private final long bytesPerSecond;
    private final CRC32C crc = new CRC32C();
    private volatile long passes;
    private volatile long scrubbedBytes;
    private volatile long damagedRecords;
    private long nextRunNs;
    private long lastId = -1;
    private boolean scrubbedThisPass;
    private DataFile current;
    private MappedByteBuffer mapped;
    private UnsafeBuffer view;
    private ByteBuffer checksumView;
    private int position;
    private int limit;

    ScrubAgent(DataFiles files, long bytesPerSecond) {
        this.files = files;
        this.bytesPerSecond = bytesPerSecond;
    }

    @Override
    public String roleName() {
        return ROLE;
    }

    @Override
    public int doWork() {
        long now = System.nanoTime();
        if (now - nextRunNs < 0) {
            return 0;
        }
        if (current == null && !openNext()) {
            nextRunNs = now + IDLE_NS;
            return 0;
        }
        int checked = 0;
        while (checked < STEP_BYTES && position < limit) {
            String damage = SegmentReplay.damage(view, checksumView, crc, position, limit);
            if (damage != null) {
                found(damage);
                position = limit; // the records after it cannot be told apart reliably; modkv check can
                break;
            }
            int recordBytes = (int) WalRecordFormat.recordBytes(view.getInt(position, ByteOrder.BIG_ENDIAN));
            position += recordBytes;
            checked += recordBytes;
        }
        scrubbedBytes += checked;
        if (position >= limit) {
            closeCurrent();
        }
        nextRunNs = now + Math.max(1, checked) * 1_000_000_000L / bytesPerSecond;
        return 1;
    }

    /** Maps the sealed file after the last one checked (by number), starting a new pass after the last. */
    private boolean openNext() {
        DataFile next = nextSealedAfter(lastId);
        if (next == null && lastId >= 0) {
            if (scrubbedThisPass) {
                passes++;
            }
            scrubbedThisPass = false;
            lastId = -1;
            next = nextSealedAfter(-1);
        }
        if (next == null) {
            return false;
        }
        lastId = next.id();
        try {
            FileChannel channel = next.mappable();
            long size = next.size();
            if (size == 0 || size > Integer.MAX_VALUE) {
                return false;
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        } catch (IOException e) {
            // Closed by a merge that retired it, or unreadable: the next file; reads report real trouble.
            return false;
        }
        current = next;
        view = new UnsafeBuffer(mapped);
        checksumView = mapped.duplicate();
        position = 0;
        limit = (int) next.size();
        scrubbedThisPass = true;
        return true;
    }

    private DataFile nextSealedAfter(long id) {
        DataFile active = files.active();
        DataFile best = null;
        for (DataFile file : files.all()) {
            if (file != active && file.isSealed() && file.isSettled() && !file.isRetired() && !file.isDamaged()
                    && file.id() > id && (best == null || file.id() < best.id())) {
                best = file;
            }
        }
        return best;
    }

    private void found(String damage) {
        if (current.isRetired()) {
            return;
        }
        damagedRecords++;
        if (current.markDamaged()) {
            LOG.log(System.Logger.Level.ERROR, SegmentReplay.corrupt(current, position, damage + " (found by the "
                    + "background scrub)").getMessage() + " Reads of its damaged entries fail with STORAGE_CORRUPT; "
                    + "run 'modkv check' on the stopped node's data directory and restore the damaged keys from a "
                    + "replica or a backup.");
        }
    }

    private void closeCurrent() {
        if (mapped != null) {
            IoUtil.unmap(mapped);
        }
        mapped = null;
        view = null;
        checksumView = null;
        current = null;
    }

    @Override
    public void onClose() {
        closeCurrent();
    }

    long passes() {
        return passes;
    }

    long scrubbedBytes() {
        return scrubbedBytes;
    }

    long damagedRecords() {
        return damagedRecords;
    }
}
