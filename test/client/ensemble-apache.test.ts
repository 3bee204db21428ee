/** The ensemble client tests against a 3-member Apache ZooKeeper 3.8 ensemble. */
import { apacheZkAvailable, startApacheZk } from '../helpers/apache-zk.js';
import { defineEnsembleSuite } from './ensemble-suite.js';

defineEnsembleSuite({
  name: 'apache-zk-3.8',
  skip: apacheZkAvailable() ? false : 'Apache ZooKeeper 3.8 is not installed (apt-get install zookeeper)',
  async start({ members, tickTime, readOnlyModeEnabled }) {
    // Since ZOOKEEPER-3863 a read-only member serves only local sessions (zab.md §6).
    const extraConfig = readOnlyModeEnabled ? ['localSessionsEnabled=true', 'localSessionsUpgradingEnabled=true'] : [];
    const zk = await startApacheZk({ members, tickTime, readOnlyModeEnabled, extraConfig });
    return {
      ports: zk.members.map((m) => m.clientPort),
      connectString: zk.connectString,
      async kill(i) {
        const p = zk.members[i].process;
        if (p.exitCode !== null || p.signalCode !== null) return;
        await new Promise<void>((resolve) => {
          p.once('exit', () => resolve());
          p.kill('SIGKILL');
        });
      },
      pause: (i) => void zk.members[i].process.kill('SIGSTOP'),
      resume: (i) => void zk.members[i].process.kill('SIGCONT'),
      stop: () => zk.stop(),
    };
  },
});
