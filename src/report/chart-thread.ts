import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { startWorker } from '../worker-thread.js';
import { chartSvg, type VegaLiteSpec } from './charts.js';
import type { Report } from './content.js';

/** The report's charts by name, as SVG. */
export type Charts = Map<string, string>;

type ChartSpecs = [name: string, spec: VegaLiteSpec][];

/** The charts a report draws, by name. */
export const chartSpecs = (report: Report): ChartSpecs => report.parts.flatMap((part) => (part.kind === 'chart' ? [[part.name, part.spec] as [string, VegaLiteSpec]] : []));

/** Renders the charts here, one after the other. */
export async function renderCharts(specs: ChartSpecs): Promise<Charts> {
  const charts: Charts = new Map();
  for (const [name, spec] of specs) charts.set(name, await chartSvg(spec));
  return charts;
}

const role = 'charts';
type FromWorker = 'ready' | { charts: [string, string][] } | { error: string };

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === role) {
  void (async () => {
    // Loaded while the other thread analyses: vega compiles the first chart warm.
    await Promise.all([import('vega'), import('vega-lite')]);
    parentPort!.on('message', async (specs: ChartSpecs) => {
      try {
        parentPort!.postMessage({ charts: [...(await renderCharts(specs))] } satisfies FromWorker);
      } catch (error) {
        parentPort!.postMessage({ error: (error as Error).message } satisfies FromWorker);
      }
    });
    parentPort!.postMessage('ready' satisfies FromWorker);
  })();
}

export interface ChartThread {
  /** The charts, rendered by the thread (here where it could not start or failed: the same SVG, the same errors). */
  render(specs: ChartSpecs): Promise<Charts>;
  close(): void;
}

/**
 * A thread that renders a report's charts with vega (a third of the neighbourhood report's time)
 * while this one writes the tables, the maps and the report's maps. Started before the analysis:
 * its modules load meanwhile, and it holds the process open only while it renders.
 */
export function chartThread(): ChartThread {
  const started = startWorker<FromWorker>(new URL(import.meta.url), { role }, { background: true });
  return {
    async render(specs) {
      const thread = await started;
      if (thread) {
        thread.worker.postMessage(specs);
        const reply = await thread.next();
        if (reply !== undefined && typeof reply === 'object' && 'charts' in reply) return new Map(reply.charts);
      }
      return renderCharts(specs);
    },
    close: () => void started.then((thread) => thread?.worker.terminate()),
  };
}
