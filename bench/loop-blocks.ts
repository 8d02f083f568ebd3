import { Session } from 'node:inspector';
import { PerformanceObserver } from 'node:perf_hooks';

/**
 * `DUE_PASS_BLOCKS=<ms>` (bench/due-pass.ts): attributes each block of the event loop longer than `<ms>` during a pass.
 * A 2 ms timer finds the blocks; the V8 CPU profiler (in this process, sampling every 1 ms) says what ran in each, by
 * the nearest frame of aipath's own code (src/) and by the function at the top of the stack; the garbage collector's
 * pauses (performance entries of type gc) that overlap are listed with their kind. For finding what to fix, not for
 * figures: the profiler costs the pass some time of its own.
 */
export class LoopBlocks {
  private readonly session = new Session();
  private readonly gcs: { start: number; ms: number; kind: number }[] = [];
  private readonly blocks: { start: number; end: number }[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) this.gcs.push({ start: e.startTime, ms: e.duration, kind: (e as unknown as { detail: { kind: number } }).detail.kind });
  });
  private readonly timer: NodeJS.Timeout;
  private last = performance.now();
  private ticks = 0;
  private heapMax = 0;

  /** `profile`: with the CPU profiler's attribution (which slows the pass down); without, the blocks and pauses alone. */
  constructor(
    private readonly thresholdMs: number,
    private readonly profile: boolean,
  ) {
    if (profile) {
      this.session.connect();
      this.session.post('Profiler.enable');
      this.session.post('Profiler.setSamplingInterval', { interval: 1000 });
      this.session.post('Profiler.start');
    }
    this.observer.observe({ entryTypes: ['gc'] });
    this.timer = setInterval(() => {
      const now = performance.now();
      if (now - this.last - 2 > thresholdMs) this.blocks.push({ start: this.last + 2, end: now });
      this.last = now;
      if (++this.ticks % 25 === 0) this.heapMax = Math.max(this.heapMax, process.memoryUsage().heapUsed);
    }, 2);
  }

  /** Stops, and says what ran in each block found (times from `origin`). */
  async stop(origin: number): Promise<string[]> {
    clearInterval(this.timer);
    this.observer.disconnect();
    const profile = this.profile
      ? await new Promise<Profile>((resolve, reject) =>
          this.session.post('Profiler.stop', (err, r) => (err ? reject(err) : resolve((r as unknown as { profile: Profile }).profile))),
        )
      : { nodes: [], startTime: 0, samples: [], timeDeltas: [] };
    if (this.profile) this.session.disconnect();
    // The profiler's clock is the monotonic one process.hrtime reads: µs since boot, where performance.now() is ms
    // since the process began.
    const offsetUs = Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000;
    const toMs = (us: number) => (us - offsetUs) / 1000;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const label = (n: ProfileNode) =>
      `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
    const ownFrame = (id: number): string => {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const n = byId.get(at)!;
        if (n.callFrame.url.includes('/src/')) return label(n);
      }
      return '(no aipath frame)';
    };
    const times: number[] = [];
    let t = profile.startTime;
    for (const d of profile.timeDeltas) {
      t += d;
      times.push(toMs(t));
    }
    const lines: string[] = [];
    for (const b of this.blocks) {
      const own = new Map<string, number>();
      const top = new Map<string, number>();
      let samples = 0;
      for (let i = 0; i < times.length; i++) {
        if (times[i]! < b.start || times[i]! > b.end) continue;
        samples += 1;
        const id = profile.samples[i]!;
        const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
        bump(top, label(byId.get(id)!));
        bump(own, ownFrame(id));
      }
      const sorted = (m: Map<string, number>) =>
        [...m.entries()]
          .sort((x, y) => y[1] - x[1])
          .slice(0, 4)
          .map(([k, v]) => `${v.toFixed(1)} ms ${k}`)
          .join('; ');
      const gc = this.gcs
        .filter((g) => g.start < b.end && g.start + g.ms > b.start)
        .map((g) => `${GC_KINDS[g.kind] ?? g.kind} ${g.ms.toFixed(1)} ms`)
        .join(', ');
      lines.push(
        `     block of ${(b.end - b.start).toFixed(0)} ms at ${(b.start - origin).toFixed(0)} (${samples} samples): gc [${gc}]; aipath frames: ${sorted(own)}; top of stack: ${sorted(top)}`,
      );
    }
    const majors = this.gcs.filter((g) => g.kind === 4);
    lines.unshift(
      `     ${this.blocks.length} blocks over ${this.thresholdMs} ms; heap used up to ${(this.heapMax / 1048576).toFixed(0)} MB; ${this.gcs.length} gc pauses (${this.gcs.filter((g) => g.kind === 1 && g.ms > 10).length} minor over 10 ms, ${majors.length} major, longest ${Math.max(0, ...majors.map((g) => g.ms)).toFixed(1)} ms; longest of all ${Math.max(0, ...this.gcs.map((g) => g.ms)).toFixed(1)} ms)`,
    );
    return lines;
  }
}

const GC_KINDS: Record<number, string> = { 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weak-callbacks' };

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}
