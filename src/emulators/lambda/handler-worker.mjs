// One Lambda execution environment: runs inside a worker_threads Worker (plain JS, no tsx).
// Init (loading the handler module) runs once per worker — Lambda's cold start — and the loaded
// handler serves every later invocation — a warm start. See docs/runtime-semantics.md.
import { parentPort, workerData } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { installFetchRedirect } from './fetch-redirect.mjs';

const { taskRoot, handler: handlerString, context: staticContext } = workerData;

/** The invocation in progress, so an uncaught exception can be reported against it. */
let current = null;

if (process.env.AWS_ENDPOINT_URL) installFetchRedirect(process.env.AWS_ENDPOINT_URL);
installLambdaConsole();

process.on('uncaughtException', (error) => failFatally(error));
process.on('unhandledRejection', (reason) => failFatally(reason));

try {
  const handler = await loadHandler(taskRoot, handlerString);
  parentPort.on('message', (message) => {
    if (message.type === 'invoke') void invoke(handler, message);
  });
  parentPort.postMessage({ type: 'ready' });
} catch (error) {
  parentPort.postMessage({ type: 'init-error', error: toErrorShape(error) });
}

async function invoke(handler, { requestId, event, deadlineEpochMs }) {
  current = requestId;
  const context = makeContext(requestId, deadlineEpochMs);
  try {
    const result = await callHandler(handler, event, context);
    const payloadJson = JSON.stringify(result === undefined ? null : result);
    parentPort.postMessage({ type: 'result', requestId, payloadJson });
  } catch (error) {
    parentPort.postMessage({ type: 'error', requestId, error: toErrorShape(error), fatal: false });
  } finally {
    current = null;
  }
}

/** Async handlers return a promise; callback-style handlers (three parameters) call back. */
function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    let settled = false;
    const callback = (error, result) => {
      if (settled) return;
      settled = true;
      if (error !== null && error !== undefined) reject(error);
      else resolve(result);
    };
    context.done = callback;
    context.succeed = (result) => callback(null, result);
    context.fail = (error) => callback(error ?? new Error('handled'));
    try {
      const returned = handler(event, context, callback);
      if (handler.length < 3 || (returned && typeof returned.then === 'function')) {
        Promise.resolve(returned).then(
          (value) => callback(null, value),
          (error) => callback(error ?? new Error('rejected')),
        );
      }
    } catch (error) {
      callback(error);
    }
  });
}

function makeContext(requestId, deadlineEpochMs) {
  return {
    ...staticContext,
    awsRequestId: requestId,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadlineEpochMs - Date.now()),
  };
}

/** Resolve `dir/module.export.path` the way Lambda's Node.js runtime does. */
async function loadHandler(root, spec) {
  const name = basename(spec);
  const dot = name.indexOf('.');
  if (dot <= 0 || dot === name.length - 1) {
    throw named('Runtime.MalformedHandlerName', `Bad handler ${spec}`);
  }
  const moduleName = join(dirname(spec), name.slice(0, dot));
  const exportPath = name.slice(dot + 1).split('.');
  const file = ['.js', '.mjs', '.cjs'].map((ext) => join(root, moduleName + ext)).find((f) => existsSync(f));
  if (!file) {
    throw named('Runtime.ImportModuleError', `Error: Cannot find module '${moduleName}'`);
  }
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError)
      throw named('Runtime.UserCodeSyntaxError', `${error.name}: ${error.message}`);
    throw error;
  }
  // A CommonJS module's exports arrive as `default` (and usually as named exports too).
  const fn = resolvePath(module, exportPath) ?? resolvePath(module.default, exportPath);
  if (typeof fn !== 'function') {
    throw named(
      'Runtime.HandlerNotFound',
      `${moduleName}.${exportPath.join('.')} is undefined or not exported`,
    );
  }
  return fn;
}

function resolvePath(root, path) {
  let value = root;
  for (const key of path) {
    if (value === null || value === undefined) return undefined;
    value = value[key];
  }
  return value;
}

function named(name, message) {
  const error = new Error(message);
  error.name = name;
  return error;
}

function toErrorShape(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || error.constructor?.name || 'Error',
      errorMessage: error.message,
      trace: typeof error.stack === 'string' ? error.stack.split('\n') : [],
    };
  }
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

/**
 * Lambda's Node.js text log format: `<ISO time>\t<request id>\t<LEVEL>\t<message>`, one line per
 * call (newlines inside a message become carriage returns, as the Lambda runtime does).
 */
function installLambdaConsole() {
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => {
      const message = format(...args).replaceAll('\n', '\r');
      process.stdout.write(`${new Date().toISOString()}\t${current ?? 'undefined'}\t${level}\t${message}\n`);
    };
  }
}

/** An exception nothing caught ends this execution environment, as on Lambda. */
function failFatally(error) {
  parentPort.postMessage({ type: 'error', requestId: current, error: toErrorShape(error), fatal: true });
  process.exit(1);
}
