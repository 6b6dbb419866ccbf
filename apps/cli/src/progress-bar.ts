export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBarOptions {
  /** Draw at all (the CLI passes: stderr is a TTY and --json is off). */
  enabled: boolean;
  /** Minimum time between redraws; the final state is always drawn. */
  minIntervalMs?: number;
  now?: () => number;
}

/**
 * A one-line progress bar on stderr, redrawn in place with `\r`. Redraws are throttled so a tight
 * loop calling {@link update} costs a comparison, not a terminal write.
 */
export class ProgressBar {
  private done = 0;
  private lastDraw = -Infinity;
  private finished = false;
  private readonly minIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly label: string,
    private total: number,
    private readonly options: ProgressBarOptions,
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 100;
    this.now = options.now ?? (() => Date.now());
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  update(done: number, total = this.total): void {
    this.done = done;
    this.total = total;
    if (!this.options.enabled || this.finished) return;
    const t = this.now();
    if (t - this.lastDraw < this.minIntervalMs && done < total) return;
    this.lastDraw = t;
    this.stream.write(`\r${this.render()}`);
  }

  tick(by = 1): void {
    this.update(this.done + by);
  }

  /** Erases the bar so later output starts on a clean line. */
  finish(): void {
    if (!this.options.enabled || this.finished) return;
    this.finished = true;
    this.stream.write('\r\x1b[2K');
  }

  render(): string {
    const fraction = this.total > 0 ? Math.min(1, this.done / this.total) : 0;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    const counts = `${this.done}/${this.total}`;
    const room = (this.stream.columns ?? 80) - this.label.length - percent.length - counts.length - 6;
    const width = Math.max(10, Math.min(40, room));
    const filled = Math.round(fraction * width);
    return `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent} ${counts}`;
  }
}
