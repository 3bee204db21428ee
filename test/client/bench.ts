/**
 * Client throughput figures (not a test): pipelined and sequential requests against
 * Apache ZooKeeper 3.8 and our member. Run: node .build/<you>/test/client/bench.js
 */
import { ZkClient } from '../../engine/src/client/index.js';
import { startApacheZk } from '../helpers/apache-zk.js';

async function measure(label: string, connectString: string): Promise<void> {
  const zk = await ZkClient.connect({ connectString });
  await zk.create('/bench', 'x'.repeat(100)).catch(() => {});
  const n = 20_000;
  let t = performance.now();
  await Promise.all(Array.from({ length: n }, () => zk.getData('/bench')));
  const pipelinedReads = n / ((performance.now() - t) / 1000);
  t = performance.now();
  await Promise.all(Array.from({ length: 5000 }, (_, i) => zk.setData('/bench', String(i))));
  const pipelinedWrites = 5000 / ((performance.now() - t) / 1000);
  t = performance.now();
  for (let i = 0; i < 2000; i++) await zk.exists('/bench');
  const sequentialReads = 2000 / ((performance.now() - t) / 1000);
  console.log(
    `${label}: pipelined getData ${Math.round(pipelinedReads)}/s, pipelined setData ${Math.round(pipelinedWrites)}/s, sequential exists ${Math.round(sequentialReads)}/s`,
  );
  await zk.close();
}

const apache = await startApacheZk();
try {
  await measure('apache-zk-3.8', apache.connectString);
} finally {
  await apache.stop();
}
try {
  const { startZooLabServer } = (await import(new URL('../helpers/zoolab-server.js', import.meta.url).href)) as {
    startZooLabServer: () => Promise<{ connectString: string; stop(): Promise<void> }>;
  };
  const ours = await startZooLabServer();
  try {
    await measure('zoolab', ours.connectString);
  } finally {
    await ours.stop();
  }
} catch (e) {
  console.log(`zoolab: not measured (${(e as Error).message})`);
}
