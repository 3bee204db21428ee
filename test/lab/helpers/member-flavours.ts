/**
 * Which program runs the lab's members in cluster tests: our zk-server (the product), or
 * Apache ZooKeeper 3.8 through the same link proxies (the reference: it shows the lab's
 * network faults and quorum verdicts against the real thing).
 */
import { apacheZkAvailable, APACHE_ZK_JAR } from '../../helpers/apache-zk.js';
import type { SupervisorOptions } from '../../../engine/src/lab/supervisor.js';

export interface MemberFlavour {
  name: 'zoolab' | 'apache';
  /** Why this flavour cannot run here, or null. */
  unavailable: string | null;
  options: Omit<SupervisorOptions, 'dir'>;
}

export function apacheFlavour(): MemberFlavour {
  return {
    name: 'apache',
    unavailable: apacheZkAvailable() ? null : 'Apache ZooKeeper 3.8 is not installed here',
    options: {
      pollIntervalMs: 200,
      memberCommand: (_id, configPath) => ({
        file: '/usr/bin/java',
        args: ['-Xmx160m', '-XX:+UseSerialGC', '-Dzookeeper.admin.enableServer=false', '-Dzookeeper.root.logger=INFO,CONSOLE', '-cp', `/etc/zookeeper/conf:${APACHE_ZK_JAR}:/usr/share/java/slf4j-simple.jar`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', configPath],
      }),
    },
  };
}

export function zoolabFlavour(): MemberFlavour {
  return { name: 'zoolab', unavailable: null, options: { pollIntervalMs: 500 } };
}
