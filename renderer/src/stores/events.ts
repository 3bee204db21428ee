/**
 * The merged event stream in a bounded ring (newest EVENT_CAPACITY events), filled from
 * `events.since` at start and kept current by `lab.event` pushes. A push that skips
 * sequence numbers (a tab that fell behind loses frames, web-bridge.ts) triggers a
 * catch-up read. Views watch `version`, not the events themselves.
 */
import { defineStore } from 'pinia';
import { markRaw, ref } from 'vue';
import type { LabEvent } from '../../../engine/src/lab/api.js';
import { SeqRing } from '../lib/ring-buffer.js';
import { useLabStore } from './lab.js';

export const EVENT_CAPACITY = 20_000;
const PAGE = 2_000;

export const useEventsStore = defineStore('events', () => {
  const ring = markRaw(new SeqRing<LabEvent>(EVENT_CAPACITY, (e) => e.seq));
  const version = ref(0);
  /** The lab's log had already trimmed events we never saw. */
  const truncated = ref(false);
  let catchingUp: Promise<void> | null = null;
  let unsubscribe: (() => void) | null = null;

  function add(e: LabEvent): void {
    if (ring.push(e)) version.value++;
  }

  async function catchUp(): Promise<void> {
    if (catchingUp) return catchingUp;
    const lab = useLabStore();
    catchingUp = (async () => {
      try {
        for (;;) {
          const after = ring.lastSeq ?? 0;
          const page = await lab.call('events.since', { afterSeq: after, limit: PAGE });
          if (page.truncated) truncated.value = true;
          for (const e of page.events) ring.push(e);
          version.value++;
          if (page.events.length < PAGE || (ring.lastSeq ?? 0) >= page.lastSeq) break;
        }
      } finally {
        catchingUp = null;
      }
    })();
    return catchingUp;
  }

  async function bind(): Promise<void> {
    const lab = useLabStore();
    unsubscribe?.();
    unsubscribe = lab.on('lab.event', (e) => {
      const last = ring.lastSeq;
      if (last !== null && e.seq > last + 1) {
        void catchUp().then(() => add(e));
        return;
      }
      add(e);
    });
    if (lab.hasLab) await catchUp();
  }

  function clear(): void {
    ring.clear();
    truncated.value = false;
    version.value++;
  }

  return { ring, version, truncated, bind, catchUp, add, clear };
});
