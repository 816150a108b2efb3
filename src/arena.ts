/**
 * Hands out Float64Array views of a few large buffers. Many separate typed arrays cost twice at a
 * country's scale: every garbage collection walks each small buffer, and V8 answers every 64 MB of
 * newly allocated buffers with a full collection of the heap.
 */
export class Float64Arena {
  private buffer = new Float64Array(0);
  private used = 0;

  /** `chunkLength`: the length of each buffer (a longer request gets a buffer of its own length). */
  constructor(private readonly chunkLength = 1 << 20) {}

  take(length: number): Float64Array {
    if (this.used + length > this.buffer.length) {
      this.buffer = new Float64Array(Math.max(length, this.chunkLength));
      this.used = 0;
    }
    this.used += length;
    return this.buffer.subarray(this.used - length, this.used);
  }
}
