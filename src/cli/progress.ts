import type { Progress } from '../progress.js';

/**
 * A one-line progress bar on stderr for tasks that run longer than a second, drawn only when
 * stderr is a terminal (directly, or through the parent process of bin/buurtbalans.js).
 */
export function progressReporter(stream: { columns: number; write: (text: string) => unknown }): { progress: Progress; clear: () => void } {
  let task = '';
  let started = 0;
  let lastDraw = 0;
  let drawn = false;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
  const progress: Progress = (name, done, total) => {
    const now = performance.now();
    if (name !== task) {
      task = name;
      started = now;
    }
    if (now - started < 1000 || now - lastDraw < 100) return;
    lastDraw = now;
    const share = total > 0 ? Math.min(1, done / total) : 0;
    const width = 24;
    const filled = Math.round(share * width);
    const line = `${name} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${Math.round(share * 100)}% (${((now - started) / 1000).toFixed(0)} s)`;
    stream.write(`\r${line.slice(0, Math.max(20, stream.columns - 1))}\x1b[K`);
    drawn = true;
  };
  return { progress, clear };
}

/** The terminal's width when stderr is one (the parent process passes it on), else undefined. */
export function stderrTerminalColumns(): number | undefined {
  if (process.stderr.isTTY) return process.stderr.columns || 80;
  const passed = Number(process.env.BUURTBALANS_STDERR_COLUMNS);
  return passed > 0 ? passed : undefined;
}
