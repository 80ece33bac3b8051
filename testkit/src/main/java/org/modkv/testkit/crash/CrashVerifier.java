package org.modkv.testkit.crash;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.storage.StoredRecord;
import org.modkv.testkit.crash.CrashRecords.BatchId;

/**
 * Checks a reopened engine against what the killed children acknowledged:
 * <ul>
 *   <li>every record is one the workload writes, byte for byte (nothing torn or mixed);
 *   <li>every acknowledged put is present unless a delete of it was offered; every
 *       acknowledged delete is absent;
 *   <li>each batch thread's slots all carry one batch id, at least the newest acknowledged
 *       one, with that batch's metadata, and exactly one marker key, that batch's: no batch
 *       is partly applied;
 *   <li>{@code keyCount()} equals the records a scan returns, and {@code lastSequence()} is
 *       at least the highest acknowledged sequence.
 * </ul>
 * Problems are collected and reported together.
 */
final class CrashVerifier {
    private static final int MAX_REPORTED = 20;

    private final StorageCrashHarness.Settings settings;

    CrashVerifier(StorageCrashHarness.Settings settings) {
        this.settings = settings;
    }

    /** The problems found; empty if the engine is consistent with the history. */
    List<String> check(StorageEngine engine, AckHistory history) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, StoredRecord> records = new TreeMap<>();
        engine.scan(record -> {
            String key = new String(record.key(), StandardCharsets.UTF_8);
            if (records.put(key, record) != null) {
                problems.add("scan returned key " + key + " twice");
            }
        });
        if (engine.keyCount() != records.size()) {
            problems.add("keyCount() is " + engine.keyCount() + " but a scan returns " + records.size() + " records");
        }
        if (engine.lastSequence() < history.maxSequence()) {
            problems.add("lastSequence() is " + engine.lastSequence() + " but sequence " + history.maxSequence()
                    + " was acknowledged");
        }
        checkRecordsAreWellFormed(records, problems);
        checkSingles(engine, records, history, problems);
        checkBatches(records, history, problems);
        if (problems.size() > MAX_REPORTED) {
            int more = problems.size() - MAX_REPORTED;
            problems.subList(MAX_REPORTED, problems.size()).clear();
            problems.add("... and " + more + " more");
        }
        return problems;
    }

    private void checkRecordsAreWellFormed(Map<String, StoredRecord> records, List<String> problems) {
        for (Map.Entry<String, StoredRecord> entry : records.entrySet()) {
            String key = entry.getKey();
            StoredRecord record = entry.getValue();
            if (key.startsWith(CrashRecords.SINGLE_PREFIX)) {
                expect(problems, key, record, CrashRecords.singleValue(key, settings.maxValueBytes()), new byte[0]);
            } else if (key.startsWith(CrashRecords.BATCH_PREFIX) && key.contains("/slot")) {
                BatchId id = CrashRecords.batchIdOf(record.value());
                int slot = Integer.parseInt(key.substring(key.lastIndexOf("/slot") + 5));
                if (id == null) {
                    problems.add(key + " holds a value that is not a batch slot value (torn or foreign)");
                } else {
                    expect(problems, key, record, CrashRecords.batchValue(id, slot, settings.maxValueBytes()),
                            CrashRecords.batchMetadata(id));
                }
            } else if (key.startsWith(CrashRecords.BATCH_PREFIX) && key.contains("/marker/")) {
                BatchId id = BatchId.parse(key.substring(key.indexOf("/marker/") + 8));
                expect(problems, key, record, CrashRecords.markerValue(id), new byte[0]);
            } else {
                problems.add("unexpected key " + key + " (the workload never writes it)");
            }
        }
    }

    private static void expect(List<String> problems, String key, StoredRecord record, byte[] value, byte[] metadata) {
        if (!Arrays.equals(record.value(), value)) {
            problems.add(key + " has a " + record.value().length + "-byte value that is not the one written ("
                    + value.length + " bytes): torn or mixed");
        }
        if (!Arrays.equals(record.metadata(), metadata)) {
            problems.add(key + " has metadata '" + new String(record.metadata(), StandardCharsets.UTF_8)
                    + "' (header " + org.modkv.api.kv.RecordHeader.of(record.metadata()) + "), expected '"
                    + new String(metadata, StandardCharsets.UTF_8) + "' (header "
                    + org.modkv.api.kv.RecordHeader.of(metadata) + ")");
        }
    }

    private static void checkSingles(StorageEngine engine, Map<String, StoredRecord> records, AckHistory history,
                                     List<String> problems) throws IOException {
        for (Map.Entry<String, AckHistory.SingleKey> entry : history.singles().entrySet()) {
            String key = entry.getKey();
            AckHistory.SingleKey state = entry.getValue();
            boolean present = records.containsKey(key);
            if (state.deleteAcknowledged() && present) {
                problems.add("acknowledged delete of " + key + " (sequence " + state.deleteSequence + ") is undone");
            } else if (state.putAcknowledged() && !state.deleteOffered && !present) {
                problems.add("acknowledged put of " + key + " (sequence " + state.putSequence + ") is missing");
            }
            if (present != engine.get(CrashRecords.utf8(key)).isPresent()) {
                problems.add("get(" + key + ") disagrees with the scan");
            }
        }
    }

    private void checkBatches(Map<String, StoredRecord> records, AckHistory history, List<String> problems) {
        Map<Integer, BatchId> acknowledged = history.latestBatches();
        for (int thread = 0; thread < settings.threads(); thread++) {
            if (!settings.workload().batchesOnThread(thread)) {
                continue;
            }
            List<BatchId> slotIds = new ArrayList<>();
            int missing = 0;
            for (int slot = 0; slot < settings.batchSlots(); slot++) {
                StoredRecord record = records.get(CrashRecords.slotKey(thread, slot));
                if (record == null) {
                    missing++;
                } else {
                    slotIds.add(CrashRecords.batchIdOf(record.value()));
                }
            }
            String markerPrefix = CrashRecords.markerPrefix(thread);
            List<String> markers = records.keySet().stream().filter(k -> k.startsWith(markerPrefix)).toList();
            BatchId newestAcked = acknowledged.get(thread);
            if (missing == settings.batchSlots()) {
                if (newestAcked != null) {
                    problems.add("thread " + thread + ": batch " + newestAcked + " (sequence "
                            + history.latestBatchSequence(thread) + ") was acknowledged but no slot key exists");
                }
                if (!markers.isEmpty()) {
                    problems.add("thread " + thread + ": marker keys " + markers + " exist without any slot key: "
                            + "a batch is partly applied");
                }
                continue;
            }
            if (missing > 0 || slotIds.stream().distinct().count() != 1) {
                problems.add("thread " + thread + ": slot keys carry batch ids " + slotIds + " with " + missing
                        + " missing: a batch is partly applied");
                continue;
            }
            BatchId present = slotIds.get(0);
            if (newestAcked != null && present.compareTo(newestAcked) < 0) {
                problems.add("thread " + thread + ": slots hold batch " + present + " but batch " + newestAcked
                        + " (sequence " + history.latestBatchSequence(thread) + ") was acknowledged: it is lost");
            }
            if (!markers.equals(List.of(CrashRecords.markerKey(thread, present)))) {
                problems.add("thread " + thread + ": slots hold batch " + present + " but the marker keys are " + markers
                        + ": a batch is partly applied");
            }
        }
    }
}
