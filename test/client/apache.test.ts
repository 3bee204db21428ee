/** The client suite against Apache ZooKeeper 3.8 (standalone). */
import { apacheZkAvailable, startApacheZk } from '../helpers/apache-zk.js';
import { defineClientSuite } from './suite.js';

defineClientSuite({
  name: 'apache-zk-3.8',
  skip: apacheZkAvailable() ? false : 'Apache ZooKeeper 3.8 is not installed (apt-get install zookeeper)',
  async start({ tickTime }) {
    const zk = await startApacheZk({ tickTime });
    return { connectString: zk.connectString, ports: zk.members.map((m) => m.clientPort), stop: () => zk.stop() };
  },
});
