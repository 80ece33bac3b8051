package org.modkv.replication.raft;

/**
 * One committed entry handed to the storage engine, in log order. The applied index advances
 * only over a prefix of done tickets, so it never passes an entry still being written.
 */
final class ApplyTicket {
    final long index;
    boolean done;
    long sequence;

    ApplyTicket(long index) {
        this.index = index;
    }
}
