/**
 * The Node.js flags a member process runs with. Whoever spawns `zk-server` puts them
 * before the script (the lab's member-process.ts, the test and benchmark helpers); the
 * script's shebang carries them too. They cannot be set from inside the process: V8
 * sizes the young generation when the isolate is created.
 *
 * --max-semi-space-size=2: V8 grows the young generation to 2 × 16 MiB under a burst of
 * requests and keeps it until its memory reducer runs, 8–16 s after the burst. At 2 MiB
 * a member's RSS stays ~24–28 MiB lower, for no measurable cost in throughput or
 * member-thread CPU per request (1 MiB does cost: +30–60 % CPU per request, as more
 * short-lived request objects get promoted). Figures in docs/performance.md.
 */
export const MEMBER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
