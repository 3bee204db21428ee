/**
 * What the timeline shows: following the live tail or paused at a cursor, stepping and
 * scrubbing through past events, and the member / message-type filters. The events
 * themselves are in the events store.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { MemberId } from '../../../engine/src/lab/api.js';
import { TIMELINE_CATEGORIES, type TimelineCategory } from '../lib/timeline-layout.js';

/** Off by default: fsync notices and peer chatter drown the protocol. */
const QUIET: readonly TimelineCategory[] = ['disk', 'peer', 'log'];

export const useTimelineStore = defineStore('timeline', () => {
  /** Following the newest event (false: paused at `cursor`). */
  const following = ref(true);
  /** Row index the view is paused at (rows of the filtered layout). */
  const cursor = ref(0);
  /** Members hidden from the diagram (an empty set shows all). */
  const hiddenMembers = ref<ReadonlySet<MemberId>>(new Set());
  const categories = ref<ReadonlySet<TimelineCategory>>(new Set(TIMELINE_CATEGORIES.filter((c) => !QUIET.includes(c))));
  /** Rows in the current (filtered) layout, kept by the view so keyboard stepping knows the end. */
  const rowTotal = ref(0);

  function pause(atRow: number): void {
    following.value = false;
    cursor.value = Math.max(0, atRow);
  }

  function follow(): void {
    following.value = true;
  }

  function togglePause(lastRow: number): void {
    if (following.value) pause(lastRow);
    else follow();
  }

  /** Moves the cursor by `delta` rows (pausing first); clamps to [0, lastRow]. */
  function step(delta: number, lastRow: number): void {
    const from = following.value ? lastRow : cursor.value;
    pause(Math.min(lastRow, Math.max(0, from + delta)));
  }

  function scrub(row: number, lastRow: number): void {
    if (row >= lastRow) follow();
    else pause(row);
  }

  function toggleMember(id: MemberId): void {
    const next = new Set(hiddenMembers.value);
    if (!next.delete(id)) next.add(id);
    hiddenMembers.value = next;
  }

  function toggleCategory(c: TimelineCategory): void {
    const next = new Set(categories.value);
    if (!next.delete(c)) next.add(c);
    categories.value = next;
  }

  function showAllCategories(): void {
    categories.value = new Set(TIMELINE_CATEGORIES);
  }

  return { following, cursor, hiddenMembers, categories, rowTotal, pause, follow, togglePause, step, scrub, toggleMember, toggleCategory, showAllCategories };
});
