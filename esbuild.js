// Bundles the three entry points: the VS Code client (vscode stays external,
// the editor provides it), the language server and the CLI.
// Usage: node esbuild.js [--production] [--watch]
const esbuild = require('esbuild');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { version } = require('./package.json');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// Names this build in dist/cli.js and in the code cache its training run writes: a cache from another build is never read.
const buildId = `${Date.now().toString(36)}-${process.pid.toString(36)}`;
const CODE_CACHE = path.join(__dirname, 'dist', 'cliMain.codecache');

// smtp-server falls back to a demo certificate and private key built into its
// tls-options module. The embedded server always brings its own, generated at
// start-up, so the bundle leaves the demo key out: a published private key has
// no place in a package (and vsce refuses one).
const withoutSmtpServerDemoKey = {
  name: 'smtp-server-without-demo-key',
  setup(build) {
    build.onLoad({ filter: /smtp-server[\\/]dist[\\/](cjs|esm)[\\/]tls-options\.js$/ }, (args) => {
      const esm = /[\\/]esm[\\/]/.test(args.path);
      return {
        loader: 'js',
        contents: [
          esm ? 'import crypto from "node:crypto";' : '"use strict";\nconst crypto = require("node:crypto");',
          'const defaults = { honorCipherOrder: true, requestOCSP: false, sessionIdContext: crypto.createHash("sha1").update(process.argv.join(" ")).digest("hex").slice(0, 32), minVersion: "TLSv1" };',
          'function getTLSOptions(opts) { return Object.assign({}, defaults, opts || {}); }',
          esm ? 'export default getTLSOptions;' : 'module.exports = getTLSOptions;',
        ].join('\n'),
      };
    });
  },
};

// mailparser (the capture server's MIME reader) and what it pulls in (iconv-lite's tables, html-to-text,
// linkify) is about a megabyte once bundled: more than the rest of the server. It goes into its own file,
// dist/mailparser.js, which the server and the CLI require at run time from beside themselves — one copy in
// the package instead of two, and the CLI loads it only when it starts the capture server, not on every run.
const mailparserBesideBundle = {
  name: 'mailparser-beside-bundle',
  setup(build) {
    build.onResolve({ filter: /^mailparser$/ }, () => ({ path: './mailparser.js', external: true }));
  },
};

// The CLI needs the embedded capture server only for serve, load and a run
// whose sessions name no @server. Bundled into dist/cli.js, its ~180 KB
// (smtp-server and the nodemailer pieces it uses; mailparser is apart already)
// was parsed by every command's start-up although never run; as its own file,
// dist/cliCaptureServer.js, it is read only when one of those imports it.
const captureServerApart = {
  name: 'capture-server-apart',
  setup(build) {
    build.onResolve({ filter: /\/captureServer\/localServer(\.js)?$/ }, () => ({ path: './cliCaptureServer.js', external: true }));
  },
};

// dist/cli.js reads dist/cliMain.js on every start, as Latin-1 (a plain copy) when it is ASCII. One character
// outside ASCII (a "§" or "—" in a comment esbuild keeps, a "…" in a regular expression) makes it decode the
// file as UTF-8 and all of it a two-byte string: that cost about 10 M instructions, 2–3% of a whole
// `--version`, and V8 scans the functions it compiles lazily in two-byte form. So every such character is
// written as its \uXXXX escape, which means the same in strings, regular expressions, identifiers and
// comments, and the source map's columns move with it.
const asciiBundle = {
  name: 'ascii-bundle',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length === 0 && build.initialOptions.write !== false) escapeToAscii(build.initialOptions.outfile);
    });
  },
};

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Rewrites `file` (and its source map, when there is one) with each UTF-16 unit outside ASCII as \uXXXX. */
function escapeToAscii(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  const lines = text.split('\n');
  const mapFile = `${file}.map`;
  const map = fs.existsSync(mapFile) ? JSON.parse(fs.readFileSync(mapFile, 'utf8')) : null;
  const mappings = map ? map.mappings.split(';') : [];
  lines.forEach((line, index) => {
    if (!/[^\x00-\x7f]/.test(line)) return;
    // Where each escaped unit was: a generated column after it moves right by 5 (one unit became six).
    const escaped = [];
    lines[index] = line.replace(/[^\x00-\x7f]/g, (unit, column) => {
      escaped.push(column);
      return `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
    });
    if (mappings[index]) mappings[index] = shiftColumns(mappings[index], (column) => column + 5 * escaped.filter((at) => at < column).length);
  });
  fs.writeFileSync(file, lines.join('\n'));
  if (map) fs.writeFileSync(mapFile, JSON.stringify({ ...map, mappings: mappings.join(';') }));
}

/** One generated line of a source map's mappings with each segment's generated column moved by `move`. */
function shiftColumns(line, move) {
  let column = 0;
  let moved = 0;
  return line.split(',').map((segment) => {
    const values = [];
    let value = 0;
    let shift = 0;
    for (const char of segment) {
      const digit = BASE64.indexOf(char);
      value += (digit & 31) << shift;
      if (digit & 32) {
        shift += 5;
      } else {
        values.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    column += values[0];
    const target = move(column);
    values[0] = target - moved;
    moved = target;
    return values.map(encodeVlq).join('');
  }).join(',');
}

function encodeVlq(number) {
  let value = number < 0 ? (-number << 1) | 1 : number << 1;
  let out = '';
  do {
    let digit = value & 31;
    value >>>= 5;
    if (value > 0) digit |= 32;
    out += BASE64[digit];
  } while (value > 0);
  return out;
}

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [withoutSmtpServerDemoKey],
};

// The CLI is dist/cliMain.js, started by dist/cli.js from V8's code cache (server/src/cli/start.ts). Its
// dynamic imports become require() calls: V8 gives code compiled by vm.Script no loader for import().
const cliMain = { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cliMain.js', mainFields: ['module', 'main'], define: { SMTP_SESSION_VERSION: JSON.stringify(version) }, supported: { 'dynamic-import': false }, plugins: [...common.plugins, mailparserBesideBundle, captureServerApart, asciiBundle] };

/** dist/cli.js, told which of Node's modules the bundle loads as it starts (they must load before V8's flags change). */
function cliStart(builtins) {
  return { ...common, entryPoints: ['server/src/cli/start.ts'], outfile: 'dist/cli.js', define: { SMTP_SESSION_BUILD_ID: JSON.stringify(buildId), SMTP_SESSION_START_BUILTINS: JSON.stringify(builtins) } };
}

/**
 * The node: modules the CLI bundle requires as it starts: those reached from
 * its entry through static imports (a dynamic import loads its module, and
 * what that needs, only when a command asks for it).
 */
function builtinsAtStart(metafile) {
  const builtins = new Set();
  const seen = new Set();
  const pending = [cliMain.entryPoints[0]];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.kind !== 'import-statement' && imported.kind !== 'require-call') continue;
      if (!imported.external) pending.push(imported.path);
      else if (imported.path.startsWith('node:')) builtins.add(imported.path);
    }
  }
  return [...builtins].sort();
}

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  // module first: jsonc-parser's "main" is a UMD build whose require('./impl/…') calls esbuild cannot follow
  // (the server reads the capture server's rules files with it, the CLI also --env's settings.json).
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', mainFields: ['module', 'main'], plugins: [...common.plugins, mailparserBesideBundle] },
  cliMain,
  { ...common, entryPoints: ['server/src/captureServer/localServer.ts'], outfile: 'dist/cliCaptureServer.js', mainFields: ['module', 'main'], plugins: [...common.plugins, mailparserBesideBundle] },
  { ...common, entryPoints: ['mailparser'], outfile: 'dist/mailparser.js' },
];

async function main() {
  // A cache from an earlier build must not outlive it (watch mode writes none: its rebuilds keep one build id).
  fs.rmSync(CODE_CACHE, { force: true });
  if (watch) {
    const { metafile } = await esbuild.build({ ...cliMain, write: false, metafile: true });
    const contexts = await Promise.all([...builds, cliStart(builtinsAtStart(metafile))].map((options) => esbuild.context(options)));
    await Promise.all(contexts.map((context) => context.watch()));
    console.log('esbuild: watching client, server, cli and mailparser');
    return;
  }
  const [{ metafile }] = await Promise.all([esbuild.build({ ...cliMain, metafile: true }), ...builds.filter((options) => options !== cliMain).map((options) => esbuild.build(options))]);
  await esbuild.build(cliStart(builtinsAtStart(metafile)));
  trainCodeCache();
  console.log(`esbuild: built dist/client.js, dist/server.js, dist/cli.js (dist/cliMain.js and its code cache), dist/mailparser.js${production ? ' (production)' : ''}`);
}

/**
 * Runs the CLI once the way people use it most — `run` of a session through
 * its dialogue, against the embedded server — so that dist/cli.js writes V8's
 * code cache of what it compiled (server/src/cli/start.ts). Should it fail,
 * there is simply no cache: the CLI compiles as usual.
 */
function trainCodeCache() {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'smtp-session-code-cache-'));
  try {
    const transcript = path.join(folder, 'training.smtp');
    fs.writeFileSync(transcript, [
      'S: 220', 'C: EHLO client.example', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250',
      'C: DATA', 'S: 354', 'Subject: code cache', '', 'Hello.', '.', 'S: 250', 'C: QUIT', 'S: 221', '',
    ].join('\n'));
    const run = spawnSync(process.execPath, [path.join(__dirname, 'dist', 'cli.js'), 'run', '--format', 'json', transcript], {
      env: { ...process.env, SMTP_SESSION_WRITE_CODE_CACHE: '1' }, encoding: 'utf8', timeout: 60_000,
    });
    if (!fs.existsSync(CODE_CACHE)) console.warn(`esbuild: no code cache for dist/cli.js (the training run exited ${run.status}): ${(run.stderr ?? '').trim().slice(0, 300)}`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
