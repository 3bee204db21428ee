/**
 * The Node.js flags a member process runs with. Whoever spawns `zk-server` puts them
 * before the script (the lab's member-process.ts, the test and benchmark helpers); the
 * script's shebang carries them too. They cannot be set from inside the process: V8
 * sizes the young generation when the isolate is created.
 *
 * --min-semi-space-size=8 --max-semi-space-size=8: a young generation of a fixed 2 × 8 MiB.
 * A write at one request in flight allocates ~18 KB on the member thread (docs/benchmarks.md
 * F4), so with V8's default start of 1 MiB, or the 2 MiB cap members had before, a scavenge
 * (0.4 ms typical) landed on about 1 % of writes — exactly the p99, which was then 1.5–2.1×
 * Apache's. At 8 MiB it lands on ~0.2 % of them: the write p99 at 1 in flight fell to
 * 0.45–0.52 ms from 0.74–1.04 (A/B, 2026-11-22), 1.05–1.45× Apache's in full benchmark
 * runs; at 4 MiB a round still showed the scavenges (create 1.08 ms). Fixed, not just capped:
 * V8 grows the young generation only when many objects survive, and request objects die
 * young, so a cap alone leaves it at 1 MiB. The cost is RSS: up to 16 MiB of young
 * generation, against 4 MiB with the old cap (a burst no longer grows it to 2 × 16 MiB
 * for the 8–16 s until V8's memory reducer runs, as without any flag). 1 MiB costs CPU
 * too: +30–60 % per request, as more short-lived request objects get promoted.
 */
export const MEMBER_NODE_FLAGS: readonly string[] = ['--min-semi-space-size=8', '--max-semi-space-size=8'];
