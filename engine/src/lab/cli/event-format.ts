/** One line per lab event, for `zk-lab events` (and logs). */
import { describeEvent, fromJsonSafe, type ProtocolEvent } from '../../quorum/protocol-events.js';
import type { LabEvent } from '../api.js';
import { describeEnd, describeSettings } from '../link-direction.js';

export function formatEvent(e: LabEvent): string {
  const time = new Date(e.at).toISOString().slice(11, 23);
  return `#${e.seq} ${time} ${describeBody(e)}`;
}

function describeBody(e: LabEvent): string {
  const b = e.body;
  switch (b.kind) {
    case 'action':
      return `[lab] ${b.actor}: ${b.message}${b.ok ? '' : ' (refused)'}`;
    case 'process': {
      const extra = b.state === 'crashed' ? ` (${b.signal ?? `exit ${b.code}`})${b.lastLogLines?.length ? ` — last log: ${b.lastLogLines.at(-1)}` : ''}` : '';
      return `[member ${b.member}] process ${b.state}${b.pid ? ` pid ${b.pid}` : ''}${extra}`;
    }
    case 'role':
      return `[member ${b.member}] ${b.role}${b.phase !== 'none' ? `/${b.phase}` : ''}${b.epoch !== null ? ` epoch ${b.epoch}` : ''}${b.leaderId !== null ? ` leader ${b.leaderId}` : ''}`;
    case 'protocol': {
      let text: string;
      try {
        text = describeEvent(fromJsonSafe<ProtocolEvent>(b.event as never));
      } catch {
        text = JSON.stringify(b.event);
      }
      return `[member ${b.member}] ${text}`;
    }
    case 'links':
      return `[net] ${b.changed.map((l) => `${describeEnd(l.from)}→${describeEnd(l.to)}: ${describeSettings(l.settings)}`).join('; ')}`;
    case 'quorum':
      return `[quorum] writes ${b.quorum.canWrite ? 'possible' : 'impossible'}; leader ${b.quorum.leader ?? 'none'}; majority {${b.quorum.workingMajority.join(',')}}`;
    case 'log':
      return `[member ${b.member}] ${b.level.toUpperCase()} ${b.line}`;
  }
}
