/**
 * Imports the function modules the topology names, once each (a cold start), and hands out their
 * exports. The process runs under tsx, so a TypeScript entry imports directly.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type FunctionModule = Readonly<Record<string, unknown>>;
export type ModuleLoader = (entry: string) => Promise<FunctionModule>;

export const createModuleLoader = (projectRoot: string): ModuleLoader => {
  const loaded = new Map<string, Promise<FunctionModule>>();
  return (entry) => {
    let module = loaded.get(entry);
    if (!module) {
      module = import(pathToFileURL(resolve(projectRoot, entry)).href) as Promise<FunctionModule>;
      // A failed import (syntax error, missing file) is retried on the next call, as a new cold start.
      module.catch(() => loaded.delete(entry));
      loaded.set(entry, module);
    }
    return module;
  };
};

/** The named export of a function module, checked to be a function. */
export const exportedFunction = async <F>(
  load: ModuleLoader,
  entry: string,
  name = 'handler',
): Promise<F> => {
  const exported = (await load(entry))[name];
  if (typeof exported !== 'function') throw new Error(`${entry} does not export a function named ${name}`);
  return exported as F;
};
