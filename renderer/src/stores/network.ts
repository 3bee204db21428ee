/**
 * The link network: per-direction settings between members (and between clients and each
 * member), cut / heal / delay / loss, and the partition presets. Links arrive inside the
 * lab's status pictures; changes go out as `links.*` commands.
 */
import { defineStore } from 'pinia';
import { computed, shallowRef } from 'vue';
import type { LinkEnd, LinkSettings, LinkState, PartitionPreset } from '../../../engine/src/lab/api.js';
import { LinkTable, toggledMode } from '../lib/links.js';
import { useLabStore } from './lab.js';

export const useNetworkStore = defineStore('network', () => {
  const links = shallowRef<LinkState[]>([]);
  let unsubscribe: (() => void) | null = null;

  const table = computed(() => new LinkTable(links.value));
  const faulty = computed(() => table.value.anyFault());

  function bind(): void {
    const lab = useLabStore();
    unsubscribe?.();
    unsubscribe = lab.on('lab.status', (s) => {
      if (s.links !== links.value) links.value = s.links;
    });
  }

  function accept(next: LinkState[]): void {
    links.value = next;
  }

  /** `links.set` answers with the directions it changed only: merge them in. */
  function merge(changed: LinkState[]): void {
    const byKey = new Map(changed.map((l) => [`${l.from}>${l.to}`, l]));
    const merged = links.value.map((l) => byKey.get(`${l.from}>${l.to}`) ?? l);
    for (const l of changed) if (!links.value.some((x) => x.from === l.from && x.to === l.to)) merged.push(l);
    links.value = merged;
  }

  /** Cuts the direction (or both) when it passes, heals it when it is cut. */
  async function toggle(from: LinkEnd, to: LinkEnd, bothWays: boolean): Promise<void> {
    const mode = toggledMode(table.value.get(from, to)?.settings);
    await set(from, to, { mode }, bothWays);
  }

  async function set(from: LinkEnd, to: LinkEnd, settings: Partial<LinkSettings>, bothWays: boolean): Promise<void> {
    merge(await useLabStore().call('links.set', { from, to, settings, bothWays }));
  }

  async function preset(p: PartitionPreset): Promise<string> {
    const r = await useLabStore().call('links.preset', { preset: p });
    accept(r.links);
    return r.message;
  }

  async function heal(): Promise<string> {
    const r = await useLabStore().call('links.heal', {});
    accept(r.links);
    return r.message;
  }

  return { links, table, faulty, bind, accept, merge, toggle, set, preset, heal };
});
