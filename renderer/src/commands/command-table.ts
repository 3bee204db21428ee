/**
 * Binds every command id (./command-specs.ts) to what it does, using the shared actions.
 * The keyboard handler, the help overlay and the Electron menu all go through `run`.
 */
import type { MemberAction } from '../stores/ensemble.js';
import { useEnsembleStore } from '../stores/ensemble.js';
import { usePreferencesStore } from '../stores/preferences.js';
import { useTerminalsStore } from '../stores/terminals.js';
import { useTimelineStore } from '../stores/timeline.js';
import { useTreeStore } from '../stores/tree.js';
import { useUiStore } from '../stores/ui.js';
import type { Actions } from './actions.js';
import { COMMAND_SPECS } from './command-specs.js';

export type CommandRunner = () => unknown;

/** How many rows the timeline has right now (the commands step through them). */
export type TimelineRowCount = () => number;

export function createCommandTable(actions: Actions, timelineRows: TimelineRowCount): Map<string, CommandRunner> {
  const member = (a: MemberAction | 'toggle-pause') => () => actions.selectedMemberAction(a);
  const tab = (t: 'data' | 'timeline' | 'sessions' | 'snapshots') => () => {
    usePreferencesStore().centerTab = t;
  };
  const last = () => Math.max(0, timelineRows() - 1);
  const table: Record<string, CommandRunner> = {
    'ensemble.killLeader': () => actions.killLeader(),
    'ensemble.killMajority': () => actions.killMajority(),
    'ensemble.healAll': () => actions.healAll(),
    'ensemble.select': () => {},
    'ensemble.kill': member('kill'),
    'ensemble.pause': member('toggle-pause'),
    'ensemble.restart': member('restart'),
    'ensemble.start': member('start'),
    'ensemble.wipe': member('wipe'),

    'network.isolateLeader': () => actions.applyPreset('isolate-leader'),
    'network.majorityMinority': () => actions.applyPreset('majority-minority'),
    'network.leaderMinority': () => actions.applyPreset('leader-minority'),
    'network.halves': () => actions.applyPreset('halves'),
    'network.bridge': () => actions.applyPreset('bridge'),
    'network.ring': () => actions.applyPreset('ring'),
    'network.heal': () => actions.healLinks(),

    'tree.jump': () => {
      usePreferencesStore().centerTab = 'data';
      useUiStore().requestFocus('jump');
    },
    'tree.newNode': () => actions.askCreateNode(),
    'tree.editNode': () => {
      if (useTreeStore().selectedPath === null) return;
      usePreferencesStore().centerTab = 'data';
      useUiStore().editing = true;
      useUiStore().requestFocus('node-editor');
    },
    'tree.deleteNode': () => actions.askDeleteNode(),
    'tree.toggleLive': () => actions.toggleLive(),
    'tree.reloadNode': () => actions.selectNode(useTreeStore().selectedPath),

    'terminal.new': () => {
      usePreferencesStore().dockOpen = true;
      return actions.openTerminal(useEnsembleStore().selected);
    },
    'terminal.close': () => actions.closeTerminal(),
    'terminal.next': () => useTerminalsStore().cycle(1),
    'terminal.toggleDock': () => {
      const p = usePreferencesStore();
      p.dockOpen = !p.dockOpen;
    },
    'terminal.focus': () => {
      usePreferencesStore().dockOpen = true;
      useUiStore().requestFocus('terminal');
    },

    'view.data': tab('data'),
    'view.timeline': tab('timeline'),
    'view.sessions': tab('sessions'),
    'view.snapshots': tab('snapshots'),

    'timeline.pause': () => useTimelineStore().togglePause(last()),
    'timeline.back': () => useTimelineStore().step(-1, last()),
    'timeline.forward': () => useTimelineStore().step(1, last()),
    'timeline.export': () => actions.exportTimelineSvg(),

    'snapshots.exportCluster': () => actions.exportCluster(),
    'snapshots.exportSubtree': () => actions.exportSubtree(),
    'snapshots.importSubtree': () => actions.chooseSubtreeFile(),
    'sessions.refresh': () => actions.refreshSessions(),

    'app.help': () => {
      const ui = useUiStore();
      ui.helpOpen = !ui.helpOpen;
    },
    'app.theme': () => usePreferencesStore().cycleTheme(),
    'app.newLab': () => useUiStore().open({ kind: 'new-lab' }),
    'app.labDown': () => actions.labDown(),
  };
  const map = new Map<string, CommandRunner>();
  for (const spec of COMMAND_SPECS) {
    const run = table[spec.id];
    if (!run) throw new Error(`command ${spec.id} has no action`);
    map.set(spec.id, run);
  }
  return map;
}

/** Which commands only make sense on one centre tab (their keys do nothing elsewhere). */
export const TAB_SCOPED: Record<string, 'timeline' | 'data'> = {
  'timeline.pause': 'timeline',
  'timeline.back': 'timeline',
  'timeline.forward': 'timeline',
};
