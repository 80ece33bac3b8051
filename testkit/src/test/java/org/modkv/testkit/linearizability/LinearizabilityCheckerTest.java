package org.modkv.testkit.linearizability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
    private static RegisterOperation write(int process, String key, String value, long from, long to) {
        return new RegisterOperation(process, key, RegisterOperation.Kind.WRITE, value, from, to);
    }

    private static RegisterOperation read(int process, String key, String value, long from, long to) {
        return new RegisterOperation(process, key, RegisterOperation.Kind.READ, value, from, to);
    }

    private static boolean ok(RegisterOperation... ops) {
        return LinearizabilityChecker.check(List.of(ops)).isEmpty();
    }

    @Test
    void aReadSeesTheLatestCompletedWriteOrNothingBeforeAnyWrite() {
        assertTrue(ok(read(1, "a", null, 0, 1), write(1, "a", "1", 2, 3), read(2, "a", "1", 4, 5)));
        assertTrue(ok(write(1, "a", "1", 0, 1), write(1, "a", null, 2, 3), read(2, "a", null, 4, 5)), "a delete");
    }

    @Test
    void aStaleReadAfterANewerWriteCompletedIsCaught() {
        assertTrue(!ok(write(1, "a", "1", 0, 10), write(1, "a", "2", 11, 20), read(2, "a", "1", 21, 30)));
    }

    @Test
    void aReadAfterACompletedWriteOfAnotherProcessMustSeeIt() {
        assertTrue(!ok(write(1, "a", "1", 0, 10), read(2, "a", null, 20, 30)));
    }

    @Test
    void aReadConcurrentWithAWriteMaySeeEitherValue() {
        assertTrue(ok(write(1, "a", "1", 0, 100), read(2, "a", null, 10, 20)));
        assertTrue(ok(write(1, "a", "1", 0, 100), read(2, "a", "1", 10, 20)));
        assertTrue(!ok(write(1, "a", "1", 0, 100), read(2, "a", "1", 10, 20), read(3, "a", null, 30, 40)),
                "once a read saw the new value, a later read must not see the old one");
    }

    @Test
    void aValueNobodyWroteIsCaught() {
        assertTrue(!ok(write(1, "a", "1", 0, 10), read(2, "a", "7", 20, 30)));
    }

    @Test
    void aWriteWithUnknownOutcomeMayTakeEffectLateOrNever() {
        long unknown = RegisterOperation.UNKNOWN;
        assertTrue(ok(write(1, "a", "1", 0, unknown), read(2, "a", null, 10, 20), read(2, "a", "1", 30, 40)));
        assertTrue(ok(write(1, "a", "1", 0, unknown), read(2, "a", null, 10, 20), read(2, "a", null, 30, 40)));
        assertTrue(!ok(write(1, "a", "1", 0, unknown), read(2, "a", "1", 10, 20), read(2, "a", null, 30, 40)));
    }

    @Test
    void keysAreCheckedOneByOneAndTheBadKeyIsNamed() {
        Optional<String> result = LinearizabilityChecker.check(List.of(
                write(1, "good", "1", 0, 10), read(2, "good", "1", 20, 30),
                write(1, "bad", "1", 0, 10), write(1, "bad", "2", 11, 20), read(2, "bad", "1", 21, 30)));
        assertTrue(result.isPresent());
        assertTrue(result.get().startsWith("key bad is not linearizable"), result.get());
    }

    @Test
    void aLongConcurrentHistoryOfARealRegisterIsLinearizable() {
        // A register guarded by a lock, driven by simulated overlapping clients: linearizable by construction.
        Random random = new Random(42);
        List<RegisterOperation> ops = new ArrayList<>();
        String value = null;
        long time = 0;
        for (int i = 0; i < 2000; i++) {
            int process = random.nextInt(8);
            long invoked = time + random.nextInt(50);
            long effect = invoked + 1 + random.nextInt(50);
            long completed = effect + 1 + random.nextInt(50);
            time = effect;
            if (random.nextBoolean()) {
                value = "v" + i;
                ops.add(write(process, "k", value, invoked, completed));
            } else {
                ops.add(read(process, "k", value, invoked, completed));
            }
        }
        assertEquals(Optional.empty(), LinearizabilityChecker.check(ops));
        // Swap one read's value for an older one: no longer linearizable.
        for (int i = ops.size() - 1; i >= 0; i--) {
            RegisterOperation op = ops.get(i);
            if (op.kind() == RegisterOperation.Kind.READ && op.value() != null && !op.value().equals("v0")) {
                ops.set(i, read(op.process(), "k", "v0", op.invokedNanos(), op.completedNanos()));
                break;
            }
        }
        assertTrue(LinearizabilityChecker.check(ops).isPresent());
    }
}
