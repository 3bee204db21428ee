/**
 * The sessions & watches inspector: sessions per member with their negotiated timeout,
 * time to expiry, ephemerals and outstanding watches; "expire this session now".
 * Refreshed on demand and on a timer owned by the view (expiry counts down between
 * reads: `readAt` + `expiresInMs` gives the deadline).
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { Hex64, MemberId, SessionInfo } from '../../../engine/src/lab/api.js';
import { LabCommandError } from '../lab-client/errors.js';
import { useLabStore } from './lab.js';

export const useSessionsStore = defineStore('sessions', () => {
  const sessions = shallowRef<SessionInfo[]>([]);
  const readAt = ref<number | null>(null);
  const loading = ref(false);
  /** Why the list could not be read (e.g. the lab does not support it yet). */
  const error = shallowRef<LabCommandError | null>(null);
  const memberFilter = ref<MemberId | null>(null);
  /** A session to scroll to and highlight (e.g. followed from a node's ephemeralOwner). */
  const highlighted = ref<Hex64 | null>(null);

  async function refresh(now: number): Promise<void> {
    loading.value = true;
    try {
      const arg = memberFilter.value === null ? {} : { member: memberFilter.value };
      sessions.value = await useLabStore().call('sessions.list', arg);
      readAt.value = now;
      error.value = null;
    } catch (e) {
      error.value = e instanceof LabCommandError ? e : new LabCommandError('failed', String(e), 'sessions.list');
    } finally {
      loading.value = false;
    }
  }

  async function expire(sessionId: Hex64, now: number): Promise<string> {
    const r = await useLabStore().call('sessions.expire', { sessionId });
    await refresh(now);
    return r.message;
  }

  /** Milliseconds left for a session at `now`, from the last read. */
  function remaining(s: SessionInfo, now: number): number | null {
    if (s.expiresInMs === null || readAt.value === null) return null;
    return Math.max(0, s.expiresInMs - (now - readAt.value));
  }

  function setMemberFilter(m: MemberId | null): void {
    memberFilter.value = m;
  }

  function highlight(id: Hex64 | null): void {
    highlighted.value = id;
  }

  return { sessions, readAt, loading, error, memberFilter, highlighted, refresh, expire, remaining, setMemberFilter, highlight };
});
