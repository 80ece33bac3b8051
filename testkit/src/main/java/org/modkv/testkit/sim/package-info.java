/**
 * Deterministic simulation for replication plugins: a {@link org.modkv.testkit.sim.Simulation}
 * (one event queue, one virtual clock, one seeded random), per-node
 * {@link org.modkv.testkit.sim.SimulatedScheduler}s, a {@link org.modkv.testkit.sim.SimulatedNetwork}
 * (delay, reordering, loss, duplication, partitions) and in-memory
 * {@link org.modkv.testkit.sim.SimulatedStorage} / {@link org.modkv.testkit.sim.SimulatedDurableLog}
 * whose crash copies keep only what was durable. Everything runs on the test's thread; a seed
 * replays a run exactly.
 */
package org.modkv.testkit.sim;
