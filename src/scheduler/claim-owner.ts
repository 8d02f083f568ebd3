import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * Who owns a claim: one scheduler pass of one process. The owner id names the host, the process
 * (pid and start time, so a reused pid is a different process) and the pass, so another pass can
 * tell a live owner from a dead one without waiting when it can: on the same process it knows
 * which passes are still running, and on the same host it can ask whether the pid still exists.
 * Owners on other hosts are judged by their lease alone.
 */
/**
 * Containers may share a host name but not a pid namespace: the namespace is part of the identity,
 * so a pid is only looked up where it means the same process.
 */
function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
  } catch {
    return '0';
  }
}
const PID_NAMESPACE = pidNamespace();
const PROCESS_ID = `${process.pid}.${Date.now().toString(36)}.${PID_NAMESPACE}`;
const running = new Set<string>();
let passSeq = 0;

export interface ClaimOwner {
  id: string;
  /** Marks the pass finished: its remaining claims are free to take over. */
  release(): void;
}

export function beginPass(worker: string = hostname()): ClaimOwner {
  const id = `${worker}/${PROCESS_ID}/${++passSeq}`;
  running.add(id);
  return { id, release: () => void running.delete(id) };
}

export interface LivenessProbe {
  /** Wall-clock time, in ms: leases measure real time, whatever instant a pass runs "as of". */
  nowMs: number;
  host: string;
  pidNamespace: string;
  processId: string;
  isRunningHere(owner: string): boolean;
  pidExists(pid: number): boolean;
}

export const localProbe = (nowMs: number): LivenessProbe => ({
  nowMs,
  host: hostname(),
  pidNamespace: PID_NAMESPACE,
  processId: PROCESS_ID,
  isRunningHere: (owner) => running.has(owner),
  pidExists,
});

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the owner of a claim may still be working on it; only a dead owner's claim is taken over. */
export function ownerAlive(owner: string | null, leaseUntil: Date | null, probe: LivenessProbe): boolean {
  if (!owner) return false; // released: the owner gave it back for a later retry
  const [worker, processId] = owner.split('/');
  if (processId === probe.processId) return probe.isRunningHere(owner);
  if (!leaseUntil || leaseUntil.getTime() <= probe.nowMs) return false;
  const [pidText, , namespace] = processId?.split('.') ?? [];
  if (worker === probe.host && namespace === probe.pidNamespace) {
    const pid = Number(pidText);
    if (Number.isInteger(pid) && pid > 0 && !probe.pidExists(pid)) return false;
  }
  return true;
}
