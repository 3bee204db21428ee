/** The ensemble client tests against a 3-member ZooLab ensemble (test/cluster/helpers/ensemble.ts). */
import { startEnsemble } from '../cluster/helpers/ensemble.js';
import { defineEnsembleSuite } from './ensemble-suite.js';

defineEnsembleSuite({
  name: 'zoolab',
  skip: false,
  async start({ members, tickTime, readOnlyModeEnabled }) {
    const e = await startEnsemble({ voters: members, tickTime, config: readOnlyModeEnabled ? { 'readonlymode.enabled': true } : {} });
    await e.waitForLeader(30_000);
    return {
      ports: e.members.map((m) => e.port(m.sid)),
      connectString: e.connectString(),
      kill: (i) => e.kill(e.members[i]!.sid),
      pause: (i) => void e.members[i]!.server?.process.kill('SIGSTOP'),
      resume: (i) => void e.members[i]!.server?.process.kill('SIGCONT'),
      stop: () => e.stop(),
    };
  },
});
