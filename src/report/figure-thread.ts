import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { renderPdf } from '../render/pdf.js';
import { startWorker } from '../worker-thread.js';
import { chartSvg, type VegaLiteSpec } from './charts.js';
import type { Report } from './content.js';
import type { PdfFigures } from './pdf.js';

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

/** What draws the figures of the maps and the report: here, or in a thread of its own. */
export interface Figures {
  charts(specs: ChartSpecs): Promise<Charts>;
  pdf(...args: Parameters<typeof renderPdf>): Promise<Uint8Array>;
  reportPdf(report: Report, figures: PdfFigures, date: string): Promise<Uint8Array>;
}

/** The figures drawn in this thread (pdfkit loaded only when a PDF is drawn here). */
export const figuresHere: Figures = {
  charts: renderCharts,
  pdf: async (...args) => (await import('../render/pdf.js')).renderPdf(...args),
  reportPdf: async (...args) => (await import('./pdf.js')).renderReportPdf(...args),
};

type Job = { [K in keyof Figures]: { kind: K; args: Parameters<Figures[K]> } }[keyof Figures];
type FromWorker = 'ready' | { value: unknown } | { error: string };

const role = 'figures';

if (!isMainThread && (workerData as { role?: string } | undefined)?.role === role) {
  void (async () => {
    // Loaded while the other thread analyses: vega, vega-lite, pdfkit and the fonts.
    await Promise.all([import('vega'), import('vega-lite')]);
    (await import('../render/pdf.js')).parsedFonts();
    // One job at a time, replied to in the order they came.
    let queue = Promise.resolve();
    parentPort!.on('message', (job: Job) => {
      queue = queue.then(async () => {
        try {
          const value = await (figuresHere[job.kind] as (...args: unknown[]) => Promise<unknown>)(...job.args);
          parentPort!.postMessage({ value } satisfies FromWorker);
        } catch (error) {
          parentPort!.postMessage({ error: (error as Error).message } satisfies FromWorker);
        }
      });
    });
    parentPort!.postMessage('ready' satisfies FromWorker);
  })();
}

export interface FigureThread extends Figures {
  close(): void;
}

/**
 * A thread that draws the charts (vega) and the PDFs (pdfkit) while this one writes the tables and
 * composes the maps: together over half of a neighbourhood's run. Started before the analysis, so
 * its modules load meanwhile; it holds the process open only while it works. Where it cannot
 * start or a job fails there, the job is done here: the same bytes, the same errors.
 */
export function figureThread(): FigureThread {
  const started = startWorker<FromWorker>(new URL(import.meta.url), { role }, { background: true });
  let replies: Promise<unknown> = Promise.resolve();
  const ask = async (job: Job): Promise<unknown> => {
    const thread = await started;
    if (thread) {
      thread.worker.postMessage(job);
      // The thread replies in the order of the jobs: each job takes the next reply in turn.
      const reply = await (replies = replies.then(() => thread.next()));
      if (typeof reply === 'object' && reply !== null && 'value' in reply) return reply.value;
    }
    return (figuresHere[job.kind] as (...args: unknown[]) => Promise<unknown>)(...job.args);
  };
  return {
    charts: (...args) => ask({ kind: 'charts', args }) as Promise<Charts>,
    pdf: (...args) => ask({ kind: 'pdf', args }) as Promise<Uint8Array>,
    reportPdf: (...args) => ask({ kind: 'reportPdf', args }) as Promise<Uint8Array>,
    close: () => void started.then((thread) => thread?.worker.terminate()),
  };
}
