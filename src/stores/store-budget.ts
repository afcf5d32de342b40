// A time budget for the store calls of one request. A request makes several store calls in turn
// (a send makes about ten), each bounded by the command timeout; without a budget over all of
// them a slow Redis could hold one request for ten timeouts. Node's AsyncLocalStorage carries
// the budget from the HTTP hook to the store without threading it through the core.

import { AsyncLocalStorage } from 'node:async_hooks';

export interface StoreBudget {
  /** Epoch milliseconds after which store calls under this budget fail; Infinity = no bound. */
  deadline: number;
}

const budgets = new AsyncLocalStorage<StoreBudget>();

/**
 * Runs `fn` under `budget`: store calls made by `fn` and by everything it starts wait on the
 * store until `budget.deadline` at most. Raising the deadline later (to Infinity once the
 * response is sent) lifts the bound for work that outlives the request, such as a delivery.
 */
export function runWithStoreBudget<T>(budget: StoreBudget, fn: () => T): T {
  return budgets.run(budget, fn);
}

/** Thrown (as the cause of STORE_UNAVAILABLE) when a call would end after the budget. */
export class StoreBudgetSpent extends Error {
  override name = 'StoreBudgetSpent';
  constructor() {
    super("the request's store time is spent");
  }
}

/**
 * Runs `command` and settles as it does, unless the current budget ends first: then rejects with
 * StoreBudgetSpent (at once when nothing is left). Outside a budget it is `command()` itself.
 * A command already sent may still take effect in the store after its call was failed.
 */
export function withinStoreBudget<T>(command: () => Promise<T>): Promise<T> {
  const budget = budgets.getStore();
  if (budget === undefined || budget.deadline === Infinity) return command();
  const left = budget.deadline - Date.now();
  if (left <= 0) return Promise.reject(new StoreBudgetSpent());
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new StoreBudgetSpent()), left);
    command().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
