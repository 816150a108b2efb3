/**
 * Typed arrays lent by name and lent again on the next call, for computations repeated over the
 * same areas (one per indicator). V8 answers every 64 MB of newly allocated buffers with a full
 * garbage collection; a country's 460,000 blocks need about 85 MB of buffers per indicator, and a
 * full collection of the multi-GB heap analyse holds at that point takes seconds.
 *
 * An array lent under a name is valid until that name is asked for again. Without a Scratch every
 * call allocates, as usual.
 */
export class Scratch {
  private readonly buffers = new Map<string, Float64Array | Int32Array>();

  /** A zero-filled Float64Array of `length`. */
  float64(name: string, length: number): Float64Array {
    return this.lend(name, length, Float64Array);
  }

  /** A zero-filled Int32Array of `length`. */
  int32(name: string, length: number): Int32Array {
    return this.lend(name, length, Int32Array);
  }

  private lend<T extends Float64Array | Int32Array>(name: string, length: number, type: { new (length: number): T }): T {
    const held = this.buffers.get(name);
    if (held instanceof type && held.length >= length) {
      const view = held.subarray(0, length) as T;
      view.fill(0);
      return view;
    }
    const fresh = new type(length);
    this.buffers.set(name, fresh);
    return fresh;
  }
}

/** A fresh zero-filled array per request: the behaviour without a Scratch. */
export const noScratch = {
  float64: (_name: string, length: number) => new Float64Array(length),
  int32: (_name: string, length: number) => new Int32Array(length),
};

export type Lender = Pick<Scratch, 'float64' | 'int32'>;
