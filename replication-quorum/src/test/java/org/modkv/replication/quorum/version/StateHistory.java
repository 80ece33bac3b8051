package org.modkv.replication.quorum.version;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates realistic states of one key: three replicas take writes (blind, or with the context
 * of an earlier read of any replica, including stale ones), deletes, and merges with each other
 * in a seeded random order. Every state ever held is kept, so tests can combine any of them.
 */
final class StateHistory {
    static final String[] NODES = {"a", "b", "c"};

    final List<DvvSet> states = new ArrayList<>();
    final DvvSet[] replicas = {DvvSet.empty(), DvvSet.empty(), DvvSet.empty()};
    private final long[] counters = new long[NODES.length];
    private int values;

    StateHistory(Random random, int steps) {
        states.add(DvvSet.empty());
        for (int step = 0; step < steps; step++) {
            int i = random.nextInt(NODES.length);
            int op = random.nextInt(10);
            if (op < 5) {
                VersionVector context = random.nextInt(3) == 0 ? VersionVector.empty()
                        : states.get(random.nextInt(states.size())).context();
                write(i, context, random.nextInt(6) == 0 ? null : ("v" + values++).getBytes(StandardCharsets.UTF_8),
                        random.nextInt(1000));
            } else {
                replicas[i] = replicas[i].merge(replicas[random.nextInt(NODES.length)]);
            }
            states.add(replicas[i]);
        }
    }

    DvvSet write(int replica, VersionVector context, byte[] value, long timestamp) {
        DvvSet next = replicas[replica].update(context, value, NODES[replica], counters[replica], timestamp);
        counters[replica] = next.context().get(NODES[replica]);
        replicas[replica] = next;
        return next;
    }

    DvvSet any(Random random) {
        return states.get(random.nextInt(states.size()));
    }
}
