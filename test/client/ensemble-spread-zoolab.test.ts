/**
 * The generic client suite (suite.ts) against a 3-member ZooLab ensemble, its clients
 * spread over all members: followers forward the writes, sessions are revalidated on the
 * member a client resumes on, watches fire for writes made through other members (issue
 * "Engine, part 3": client suites across the ensemble). The same run against Apache's
 * ensemble (ensemble-spread-apache.test.ts) shows the suite asks nothing more than
 * ZooKeeper guarantees.
 */
import { startEnsemble } from '../cluster/helpers/ensemble.js';
import { defineClientSuite } from './suite.js';

defineClientSuite({
  name: 'a 3-member zoolab ensemble, clients spread over the members',
  skip: false,
  async start({ tickTime }) {
    const e = await startEnsemble({ voters: 3, tickTime, config: { extendedTypesEnabled: true } });
    try {
      await e.waitForLeader(30_000);
    } catch (err) {
      await e.stop();
      throw err;
    }
    const ports = e.members.map((m) => e.port(m.sid));
    return { connectString: e.connectString(), ports, spread: (i) => `127.0.0.1:${ports[i % ports.length]}`, stop: () => e.stop() };
  },
});
