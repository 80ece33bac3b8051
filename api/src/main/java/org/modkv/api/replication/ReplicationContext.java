package org.modkv.api.replication;

import org.modkv.api.PluginContext;
import org.modkv.api.storage.StorageEngine;
import org.modkv.api.transport.PeerNetwork;

/**
 * What a replication plugin works with. It never opens sockets, reads the wall clock, sleeps
 * or starts threads itself: the network, time and timers come from here so that a simulation
 * can drive them deterministically.
 */
public interface ReplicationContext extends PluginContext {

    /** This node's storage engine, already open and recovered. */
    StorageEngine storage();

    /** Messages to other nodes; has no peers on a single node. */
    PeerNetwork peers();

    /** Where to report every batch applied to storage, in order. */
    CommitListener commits();
}
