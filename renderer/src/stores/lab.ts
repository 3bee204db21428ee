/**
 * The connection to the lab and the lab's lifecycle: which LabApi the app has, whether
 * it still answers, which lab is open, recent labs, create / open / down. Other stores
 * reach the lab through `call` and `on` here, so errors get one shape
 * (`LabCommandError`: command, code, the lab's own sentence).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  CommandName,
  CommandRequest,
  CommandResponse,
  EventName,
  EventPayload,
  LabApi,
  LabInfo,
  LabSpec,
  RecentLab,
} from '../../../engine/src/lab/api.js';
import { LabCommandError, toLabError } from '../lab-client/errors.js';

export type ConnectionState = 'none' | 'connected' | 'lost';
export type Transport = 'electron' | 'websocket' | 'demo';

export const useLabStore = defineStore('lab', () => {
  const api = shallowRef<LabApi | null>(null);
  const transport = ref<Transport | null>(null);
  const connection = ref<ConnectionState>('none');
  /** Why the lab went away (its own words), when it did. */
  const closedReason = ref<string | null>(null);
  const info = shallowRef<LabInfo | null>(null);
  const recent = shallowRef<RecentLab[]>([]);
  /** True once `lab.info` answered, so "no lab" is known rather than assumed. */
  const loaded = ref(false);
  const busy = ref(false);
  let unsubscribe: (() => void)[] = [];

  const hasLab = computed(() => info.value !== null && info.value.running);

  async function call<K extends CommandName>(name: K, arg: CommandRequest<K>): Promise<CommandResponse<K>> {
    const a = api.value;
    if (!a) throw new LabCommandError('no-connection', 'the app is not connected to a lab', name);
    try {
      return await a.invoke(name, arg);
    } catch (e) {
      const err = toLabError(e);
      if (err.code === 'disconnected') connection.value = 'lost';
      throw new LabCommandError(err.code, err.message, name);
    }
  }

  function on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const a = api.value;
    if (!a) return () => {};
    return a.on(event, listener);
  }

  /** Adopts a LabApi (once per app start) and reads the current lab. */
  async function attach(labApi: LabApi, how: Transport): Promise<void> {
    for (const u of unsubscribe) u();
    api.value = labApi;
    transport.value = how;
    connection.value = 'connected';
    closedReason.value = null;
    unsubscribe = [
      labApi.on('lab.closed', ({ reason }) => {
        closedReason.value = reason;
        info.value = info.value ? { ...info.value, running: false } : null;
        // A WebSocket that dropped cannot be reused; an in-process lab that went down can open another.
        // A service that switched labs (a scenario run opening its own lab: LabService.switchTo
        // says "switched to lab …") keeps the connection; its next status names the new lab.
        if (transport.value === 'websocket' && !reason.startsWith('switched to lab ')) connection.value = 'lost';
      }),
      labApi.on('lab.status', (s) => {
        if (!info.value || info.value.dir !== s.lab.dir || info.value.running !== s.lab.running) info.value = s.lab;
      }),
    ];
    await refresh();
  }

  async function refresh(): Promise<void> {
    info.value = await call('lab.info', {});
    loaded.value = true;
    recent.value = await call('lab.recent', {}).catch(() => []);
  }

  async function withBusy<T>(fn: () => Promise<T>): Promise<T> {
    busy.value = true;
    try {
      return await fn();
    } finally {
      busy.value = false;
    }
  }

  async function create(dir: string, spec: LabSpec): Promise<LabInfo> {
    return withBusy(async () => {
      const created = await call('lab.create', { dir, spec });
      info.value = created;
      closedReason.value = null;
      recent.value = await call('lab.recent', {}).catch(() => recent.value);
      return created;
    });
  }

  async function open(dir: string): Promise<LabInfo> {
    return withBusy(async () => {
      const opened = await call('lab.open', { dir });
      info.value = opened;
      closedReason.value = null;
      return opened;
    });
  }

  async function down(): Promise<string> {
    return withBusy(async () => {
      const r = await call('lab.down', {});
      info.value = info.value ? { ...info.value, running: false } : null;
      recent.value = await call('lab.recent', {}).catch(() => recent.value);
      return r.message;
    });
  }

  return { api, transport, connection, closedReason, info, recent, loaded, busy, hasLab, call, on, attach, refresh, create, open, down };
});
