/**
 * One better-sqlite3 connection serves the whole process, and a transaction on it spans several
 * awaits. While one is open, every other caller's statement would silently join it (and be rolled
 * back with it), so the gate makes them wait until it ends. Outside a transaction, statements run at
 * once, synchronously, in call order.
 */
export class ConnectionGate {
  private held = false;
  private released: Promise<void> = Promise.resolve();

  async run<T>(statement: () => T): Promise<T> {
    while (this.held) await this.released;
    return statement();
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.held) await this.released;
    this.held = true;
    let release = () => {};
    this.released = new Promise<void>((resolve) => {
      release = resolve;
    });
    try {
      return await work();
    } finally {
      this.held = false;
      release();
    }
  }
}
