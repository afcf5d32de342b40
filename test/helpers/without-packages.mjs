// Makes the packages named in TEST_WITHOUT_PACKAGES (comma-separated; not a VERIFYD_ name, since
// verifyd refuses unknown ones) fail to resolve, exactly as if they were not installed, in a child
// process started with NODE_OPTIONS=--import=<this file>.
// Plain JavaScript: it loads before tsx does. The same file is the module.register() hooks.
import Module, { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

let hidden = [];

export function initialize(names) {
  hidden = names;
}

export async function resolve(specifier, context, next) {
  if (hidden.some((name) => specifier === name || specifier.startsWith(`${name}/`))) {
    const err = new Error(`Cannot find package '${specifier}' imported from ${context.parentURL} (hidden by test/helpers/without-packages.mjs)`);
    err.code = 'ERR_MODULE_NOT_FOUND';
    throw err;
  }
  return next(specifier, context);
}

if (isMainThread) {
  const names = (process.env.TEST_WITHOUT_PACKAGES ?? '').split(',').filter(Boolean);
  register(import.meta.url, { data: names });
  // require() (verifyd loads some packages with createRequire, on first use) does not pass
  // through those hooks: refuse the names there too, as Node does a missing package.
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (names.some((name) => request === name || request.startsWith(`${name}/`))) {
      const err = new Error(`Cannot find module '${request}' (hidden by test/helpers/without-packages.mjs)`);
      err.code = 'MODULE_NOT_FOUND';
      throw err;
    }
    return resolveFilename.call(this, request, ...rest);
  };
}
