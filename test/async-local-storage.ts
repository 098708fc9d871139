/**
 * Each test file loads its own copy of our modules, so each makes its own AsyncLocalStorage. On
 * Node 20 every enabled instance joins a list that the promise hook walks for every promise made
 * in the worker, until it is disabled: left enabled, the files a worker ran before slow down every
 * one after it. The instances a file enabled are disabled once its tests are done.
 */
import { AsyncLocalStorage } from 'async_hooks';

const enabled = new Set<AsyncLocalStorage<unknown>>();
const { run, enterWith } = AsyncLocalStorage.prototype;
AsyncLocalStorage.prototype.run = function (this: AsyncLocalStorage<unknown>, ...args: Parameters<typeof run>) {
  enabled.add(this);
  return run.apply(this, args);
} as typeof run;
AsyncLocalStorage.prototype.enterWith = function (this: AsyncLocalStorage<unknown>, store: unknown) {
  enabled.add(this);
  return enterWith.call(this, store);
};

afterAll(() => {
  AsyncLocalStorage.prototype.run = run;
  AsyncLocalStorage.prototype.enterWith = enterWith;
  for (const storage of enabled) storage.disable();
});
