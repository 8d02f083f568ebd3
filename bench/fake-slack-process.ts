/**
 * The fake Slack Web API (test/support/fake-slack.ts) in a process of its own, for benchmarks that time the app's event
 * loop: Slack is another machine, and a fake answering in the app's own process would put its request handling and
 * its memory of every message on the loop being measured. Run as `node --import tsx bench/fake-slack-process.ts`
 * through startFakeSlackProcess below; it prints its URL, resets on 'reset', reports its counts on 'counts', and exits
 * when the parent goes.
 */
import { fork } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ScriptableFakeSlack } from '../test/support/fake-slack.js';
import { AnswerSink } from './answer-sink.js';

type Request = { op: 'reset' | 'counts' | 'arrivals'; id: number };
type Reply = { id: number; posts?: number; arrivals?: [number, number][] };

export interface FakeSlackProcess {
  url: string;
  /** Where response_urls may point: `${sinkUrl}/r/<n>` records when answer n arrived (bench/answer-sink.ts). */
  sinkUrl: string;
  reset(): Promise<void>;
  /** chat.postMessage calls it has answered since the last reset. */
  posts(): Promise<number>;
  /** When each answer posted to the sink arrived (epoch ms), by its number. */
  arrivals(): Promise<Map<number, number>>;
  stop(): Promise<void>;
}

export async function startFakeSlackProcess(): Promise<FakeSlackProcess> {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // Slack is another machine: here it yields the machine's two cores to the process being measured.
  if (child.pid) setPriority(child.pid, Math.min(19, getPriority() + 10));
  const { url, sinkUrl } = await new Promise<{ url: string; sinkUrl: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { url: string; sinkUrl: string }));
    child.once('exit', (code) => reject(new Error(`the fake Slack process exited (${code}) before it listened`)));
  });
  let seq = 0;
  const ask = (op: Request['op']) =>
    new Promise<Reply>((resolve) => {
      const id = ++seq;
      const onReply = (m: unknown) => {
        if ((m as Reply).id !== id) return;
        child.off('message', onReply);
        resolve(m as Reply);
      };
      child.on('message', onReply);
      child.send({ op, id } satisfies Request);
    });
  return {
    url,
    sinkUrl,
    reset: async () => void (await ask('reset')),
    posts: async () => (await ask('counts')).posts ?? 0,
    arrivals: async () => new Map((await ask('arrivals')).arrivals),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

// As the child: serve until the parent disconnects.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const fake = await new ScriptableFakeSlack().start();
  const sink = await new AnswerSink().start();
  process.on('message', (m: Request) => {
    if (m.op === 'reset') fake.reset();
    if (m.op === 'arrivals') process.send!({ id: m.id, arrivals: [...sink.arrived] } satisfies Reply);
    else process.send!({ id: m.id, posts: fake.callsOf('chat.postMessage').length } satisfies Reply);
  });
  process.on('disconnect', () => {
    void Promise.all([fake.stop(), sink.stop()]).finally(() => process.exit(0));
  });
  process.send({ url: fake.url, sinkUrl: sink.url });
}
