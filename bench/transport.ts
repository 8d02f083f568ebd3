/**
 * What a Slack Web API call costs the event loop that makes it: the same DMs (conversations.open, then
 * chat.postMessage) through @slack/web-api's default transport, the global fetch with its per-call timeout (an
 * AbortSignal, a timer and a finalizer a call), as aipath's clients were built before, and through
 * src/slack/http-transport.ts, as they are built now. 16 at a time, as a scheduler pass sends, to the fake Slack in a
 * process of its own; the rounds alternate so that neither is favoured by when it ran.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { webApi } from '@slack/bolt';
import { HttpTransport } from '../src/slack/http-transport.js';
import { startFakeSlackProcess } from './fake-slack-process.js';
import { median } from './support.js';

interface Round {
  cpuMs: number;
  gcMs: number;
  longestGcMs: number;
  longestBlockMs: number;
}

async function sendDms(client: webApi.WebClient, dms: number): Promise<Round> {
  let gcMs = 0;
  let longestGcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gcMs += e.duration;
      longestGcMs = Math.max(longestGcMs, e.duration);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  const loop = monitorEventLoopDelay({ resolution: 2 });
  loop.enable();
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < dms) {
        const user = `U${String(next++).padStart(8, '0')}`;
        const dm = await client.conversations.open({ users: user });
        const channel = (dm.channel as { id: string }).id;
        await client.chat.postMessage({ channel, text: 'Week 3 starts today', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(600) } }] });
      }
    }),
  );
  const cpu = process.cpuUsage(before);
  loop.disable();
  gc.disconnect();
  return { cpuMs: (cpu.user + cpu.system) / 1000, gcMs, longestGcMs, longestBlockMs: loop.max / 1e6 };
}

export async function benchTransport(dms = 8_000, rounds = 3): Promise<string[]> {
  const fake = await startFakeSlackProcess();
  const transport = new HttpTransport();
  const base = { slackApiUrl: fake.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  const variants = {
    'global fetch, 15 s timeout (before)': () => new webApi.WebClient('xoxb-bench', { ...base, timeout: 15_000 }),
    'HttpTransport, 15 s timeout (now)': () => new webApi.WebClient('xoxb-bench', { ...base, fetch: transport.fetchWithin(15_000) }),
  };
  const results = new Map<string, Round[]>(Object.keys(variants).map((k) => [k, []]));
  try {
    await sendDms(variants['HttpTransport, 15 s timeout (now)'](), 500); // warm-up: JIT, connections
    for (let r = 0; r < rounds; r++) {
      for (const [name, client] of Object.entries(variants)) results.get(name)!.push(await sendDms(client(), dms));
    }
  } finally {
    transport.close();
    await fake.stop();
  }
  const lines = [
    `transport: ${dms.toLocaleString('en')} DMs (conversations.open + chat.postMessage), 16 at a time, to the fake Slack's process; medians of ${rounds} rounds`,
  ];
  for (const [name, rs] of results) {
    const m = (f: (r: Round) => number) => median(rs.map(f));
    lines.push(
      `  ${name.padEnd(38)} CPU ${(m((r) => r.cpuMs) / dms).toFixed(3)} ms a DM; garbage collection ${m((r) => r.gcMs).toFixed(0)} ms in all, longest pause ${m((r) => r.longestGcMs).toFixed(1)} ms; event loop's longest block ${m((r) => r.longestBlockMs).toFixed(1)} ms`,
    );
  }
  return lines;
}
