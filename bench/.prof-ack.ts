// scratch: CPU profile of aipath under one command's load (not committed)
import { load, seed } from './ack.js';
import { startFakeSlackProcess } from './fake-slack-process.js';
import { launch, SECRET, tempDb } from './support.js';
const text = process.argv[2] ?? 'status';
const fake = await startFakeSlackProcess();
const env = { SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, LOG_LEVEL: 'error' };
const db = tempDb();
await seed(db);
const app = await launch(process.execPath, ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', 'dist/cli.js', 'start'], { ...env, AIPATH_DB: db });
const url = `http://127.0.0.1:${app.port}/slack/events`;
await load(url, text, 200, 50, fake);
const r = await load(url, text, 2000, 50, fake);
r.acks.sort((a, b) => a - b);
console.log(text, 'ack p50', r.acks[1000]?.toFixed(1), 'p99', r.acks[1980]?.toFixed(1));
await app.stop();
await fake.stop();
