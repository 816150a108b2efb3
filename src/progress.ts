/**
 * How a long stage says how far it is: the task (e.g. "placing meldingen") and done of total.
 * Stages call it now and then and stay pure; the CLI draws the bar and watches the memory.
 */
export type Progress = (task: string, done: number, total: number) => void;

/** How often a loop over rows reports. */
export const progressEvery = 1 << 16;
