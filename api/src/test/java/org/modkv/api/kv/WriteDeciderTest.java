package org.modkv.api.kv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.modkv.api.storage.Mutation;
import org.modkv.api.storage.MutationType;
import org.modkv.api.storage.StoredRecord;
import org.modkv.api.storage.WriteBatch;

class WriteDeciderTest {
    private final Map<ByteBuffer, StoredRecord> storage = new HashMap<>();
    private final WriteDecider decider = new WriteDecider(key -> Optional.ofNullable(storage.get(ByteBuffer.wrap(key))));

    private static byte[] b(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void store(WriteBatch decided) {
        for (Mutation m : decided.mutations()) {
            if (m.type() == MutationType.PUT) {
                storage.put(ByteBuffer.wrap(m.key()), new StoredRecord(m.key(), m.value(), m.metadata()));
            } else {
                storage.remove(ByteBuffer.wrap(m.key()));
            }
        }
    }

    @Test
    void writesDecidedButNotYetInStorageDecideLaterConditions() throws Exception {
        ConditionalWrite create = new ConditionalWrite(List.of(Condition.absent(b("k"))), new WriteBatch().put(b("k"), b("1")));
        WriteBatch first = decider.decide(create, 1, 0);
        assertNotNull(first);
        assertNull(decider.decide(create, 2, 0), "the first put is in flight: the key is present");
        assertEquals(new RecordHeader(1, 0), decider.current(b("k"), 0));
        WriteBatch delete = decider.decide(new ConditionalWrite(List.of(Condition.versionEquals(b("k"), 1)),
                new WriteBatch().delete(b("k"))), 3, 0);
        assertNotNull(delete);
        assertNull(decider.current(b("k"), 0), "the in-flight delete leaves it absent");
        store(first);
        decider.completed(1);
        assertNull(decider.current(b("k"), 0), "the delete, still in flight, wins over storage");
        store(delete);
        decider.completed(3);
        assertEquals(0, decider.inFlightWrites());
        assertNull(decider.current(b("k"), 0));
    }

    @Test
    void putsAreStampedWithTheRevisionKeepingTheirExpiryAndPluginBytes() throws Exception {
        byte[] requested = new RecordHeader(0, 500).encode(b("plugin"));
        WriteBatch decided = decider.decide(ConditionalWrite.unconditional(new WriteBatch().put(b("k"), b("v"), requested)), 7, 0);
        byte[] metadata = decided.mutations().get(0).metadata();
        assertEquals(new RecordHeader(7, 500), RecordHeader.of(metadata));
        assertArrayEquals(b("plugin"), RecordHeader.pluginBytes(metadata));
        store(decided);
        decider.completed(7);
        assertEquals(new RecordHeader(7, 500), decider.current(b("k"), 499));
        assertNull(decider.current(b("k"), 500), "expired at its expiry time");
    }

    @Test
    void metadataWithoutAHeaderIsLegacyAndConditionalWritesRoundTripTheirEncoding() {
        assertEquals(RecordHeader.LEGACY, RecordHeader.of(new byte[0]));
        assertEquals(RecordHeader.LEGACY, RecordHeader.of(b("version=1 from some plugin")));
        ConditionalWrite write = new ConditionalWrite(List.of(Condition.absent(b("a")), Condition.present(new byte[0]),
                Condition.versionEquals(b("c"), Long.MAX_VALUE)), new WriteBatch().put(b("a"), b("1")).delete(b("c")));
        byte[] encoded = write.encode();
        ConditionalWrite decoded = ConditionalWrite.decode(encoded, 0, encoded.length);
        assertEquals(write.conditions(), decoded.conditions());
        assertEquals(write.batch().mutations(), decoded.batch().mutations());
        assertThrows(IllegalArgumentException.class, () -> ConditionalWrite.decode(encoded, 0, 7));
    }
}
