/**
 * The generic client suite (suite.ts) against a 3-member Apache ZooKeeper 3.8 ensemble with
 * its clients spread over the members: the reference for ensemble-spread-zoolab.test.ts.
 */
import { apacheZkAvailable, startApacheZk } from '../helpers/apache-zk.js';
import { defineClientSuite } from './suite.js';

defineClientSuite({
  name: 'a 3-member apache-zk-3.8 ensemble, clients spread over the members',
  skip: apacheZkAvailable() ? false : 'Apache ZooKeeper 3.8 is not installed (apt-get install zookeeper)',
  async start({ tickTime }) {
    const zk = await startApacheZk({ members: 3, tickTime, extendedTypesEnabled: true });
    const ports = zk.members.map((m) => m.clientPort);
    return { connectString: zk.connectString, ports, spread: (i) => `127.0.0.1:${ports[i % ports.length]}`, stop: () => zk.stop() };
  },
});
