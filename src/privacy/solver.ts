import type { Highs } from 'highs';

let loaded: Promise<Highs> | undefined;

/** HiGHS compiled to WebAssembly, loaded once per process (about 30 ms). */
export function loadSolver(): Promise<Highs> {
  loaded ??= import('highs').then((module) => {
    // Node's ESM build exports the loader as default; the package's typings describe the CommonJS one.
    type Loader = () => Promise<Highs>;
    const exported = module.default as unknown as Loader | { default: Loader };
    return typeof exported === 'function' ? exported() : exported.default();
  });
  return loaded;
}
